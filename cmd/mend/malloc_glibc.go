//go:build linux && cgo

package main

/*
#include <stdlib.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

// mend_limit_arenas runs when the program is loaded, before the Go runtime starts its threads (each
// thread's first malloc picks an arena, so a later mallopt would come too late). It gives glibc's
// malloc one arena per CPU instead of eight, unless MALLOC_ARENA_MAX says otherwise.
__attribute__((constructor)) static void mend_limit_arenas(void) {
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
	if (getenv("MALLOC_ARENA_MAX") != NULL) {
		return;
	}
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	mallopt(M_ARENA_MAX, n < 2 ? 2 : (int)n);
#endif
}
*/
import "C"

// SQLite allocates its page caches and statements with malloc, from whichever OS thread a query runs
// on. glibc gives threads up to eight arenas per CPU, each keeping its own free memory; with Go moving
// queries between threads, that was about 10 MB more under load for no gain. The constructor above
// caps the arenas at one per CPU (at least two); MALLOC_ARENA_MAX still overrides it.
