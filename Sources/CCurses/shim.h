#ifndef CASELOAD_CCURSES_SHIM_H
#define CASELOAD_CCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1

#include <locale.h>
#include <wchar.h>
#if defined(__APPLE__)
#include <curses.h>
#else
#include <ncursesw/curses.h>
#endif

// Swift's Glibc does not expose wcwidth; declare it here.
int wcwidth(wchar_t c);

static inline int ccurses_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }
static inline int ccurses_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int ccurses_lines(void) { return LINES; }
static inline int ccurses_cols(void) { return COLS; }
static inline WINDOW *ccurses_stdscr(void) { return stdscr; }
static inline int ccurses_colors(void) { return COLORS; }

#endif
