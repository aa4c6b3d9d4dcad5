/* rbldnsd.h -- `reputed --rbldnsd ARGS...`: rbldnsd's command line and
 * data files, served by reputed's own engine (see docs/rbldnsd.md). */
#ifndef REPUTED_RBLDNSD_H
#define REPUTED_RBLDNSD_H

/*
 * Run as rbldnsd would with argv (argv[0] is "--rbldnsd", the rest as
 * `man rbldnsd`, plus --store DIR). The front end never reads the data
 * files itself: it writes a configuration with one [source] per dataset
 * (format rbldnsd-TYPE) and one [zone] per zone into its store
 * directory, loads and reloads the files with reputed-import in a child
 * process, and serves the zones with `reputed -c` in another; it stays
 * as their supervisor. self is reputed's argv[0], to find the programs.
 * Returns the exit status: 0 after SIGTERM, 1 on a usage or startup
 * error (as rbldnsd).
 */
int	rbldnsd_main(int argc, char **argv, const char *self);

#endif
