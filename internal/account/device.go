package account

import "strings"

// browsers are checked in order: many user agents name several engines ("Chrome … Safari").
var browsers = []struct{ marker, name string }{
	{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
	{"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"},
	{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
	{"CriOS/", "Chrome"}, {"HeadlessChrome/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
	{"Version/", "Safari"},
	{"curl/", "curl"}, {"Wget/", "Wget"}, {"Go-http-client/", "a Go program"}, {"python-requests/", "a Python script"},
}

var systems = []struct{ marker, name string }{
	{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"CrOS", "ChromeOS"},
	{"Windows", "Windows"}, {"Macintosh", "Mac"}, {"Mac OS X", "Mac"}, {"Linux", "Linux"},
}

// DeviceName returns a short readable name for a user agent, such as "Firefox on Windows".
func DeviceName(userAgent string) string {
	browser, system := "", ""
	for _, b := range browsers {
		if strings.Contains(userAgent, b.marker) {
			browser = b.name
			break
		}
	}
	for _, o := range systems {
		if strings.Contains(userAgent, o.marker) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return strings.ToUpper(browser[:1]) + browser[1:]
	case system != "":
		return "A browser on " + system
	default:
		return "Unknown device"
	}
}
