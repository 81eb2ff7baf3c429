// Package proof holds Mend's whole-app reliability and security tests (issue 10): crash and
// contention tests against a real server, the XSS and log-canary sweeps over a full journey of two
// partners, the page hygiene sweep, and fuzz targets over every JSON body and form. It has no
// non-test code besides this file; the map below says where each SECURITY.md requirement is proved.
package proof
