/** Exit codes are a bit set (docs/design.md §7). */
export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_PENDING = 2;
export const EXIT_HOST_FAILED = 4;
export const EXIT_REBOOT = 8;
