/*
 * Runs a fuzz target over files without libFuzzer, so make check keeps
 * replaying the seed corpus and every crasher ever found (tests/fuzz/
 * regressions/) in ordinary and sanitizer builds alike.  Speaks TAP.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read a whole file; NULL when it cannot be read. */
static uint8_t *
replay_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n = -1;

	if (!f) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0) {
		n = ftell(f);
	}
	if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
	}
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*len = n >= 0 ? (size_t)n : 0;
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	int failed = 0;
	int i;

	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		size_t len = 0;
		uint8_t *data = replay_read(argv[i], &len);

		if (!data) {
			printf("not ok %d - %s: cannot read\n", i, argv[i]);
			failed++;
			continue;
		}
		/* A crash or sanitizer report ends the run: that fails it. */
		LLVMFuzzerTestOneInput(data, len);
		printf("ok %d - %s\n", i, argv[i]);
		free(data);
	}
	return failed ? 1 : 0;
}
