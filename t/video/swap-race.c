/*
 * swap-race -- the suite's attacker for the symlink race (t/video/race.t):
 * exchanges each pair of paths with renameat2(RENAME_EXCHANGE), atomically,
 * over and over, until it is killed or MAX_SECONDS have passed (0: once).
 *
 *   swap-race MAX_SECONDS A1 B1 [A2 B2 ...]
 *
 * Prints the number of exchanges done on exit.  Built by `make helpers`.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    unsigned long swaps = 0;
    time_t end;
    int i;

    if (argc < 4 || argc % 2 != 0) {
        fprintf(stderr, "usage: %s MAX_SECONDS A1 B1 [A2 B2 ...]\n", argv[0]);
        return 2;
    }
    end = time(NULL) + atoi(argv[1]);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    do {
        for (i = 2; i + 1 < argc; i += 2) {
            if (renameat2(AT_FDCWD, argv[i], AT_FDCWD, argv[i + 1],
                          RENAME_EXCHANGE) != 0) {
                perror("renameat2");
                return 1;
            }
            swaps++;
        }
    } while (!stop && time(NULL) < end);
    printf("%lu\n", swaps);
    return 0;
}
