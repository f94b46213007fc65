#ifndef CASELOAD_CCURSES_SHIM_H
#define CASELOAD_CCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1

#include <locale.h>
#include <wchar.h>
#include <unistd.h>
#include <signal.h>
#if defined(__APPLE__)
#include <curses.h>
#include <term.h>
#else
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#endif

// Swift's Glibc does not expose wcwidth; declare it here.
int wcwidth(wchar_t c);

static inline int ccurses_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }
static inline int ccurses_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int ccurses_lines(void) { return LINES; }
static inline int ccurses_cols(void) { return COLS; }
static inline WINDOW *ccurses_stdscr(void) { return stdscr; }
static inline int ccurses_colors(void) { return COLORS; }

// Attribute bits are function-like macros (NCURSES_BITS), which Swift cannot import.
static inline unsigned int ccurses_a_normal(void) { return (unsigned int)A_NORMAL; }
static inline unsigned int ccurses_a_bold(void) { return (unsigned int)A_BOLD; }
static inline unsigned int ccurses_a_underline(void) { return (unsigned int)A_UNDERLINE; }
static inline unsigned int ccurses_a_reverse(void) { return (unsigned int)A_REVERSE; }
static inline unsigned int ccurses_a_dim(void) { return (unsigned int)A_DIM; }
static inline int ccurses_attrset(unsigned int attrs) { return attrset((int)attrs); }
static inline int ccurses_key_f0(void) { return KEY_F0; }
// Wide-character input: OK, KEY_CODE_YES (a function key) or ERR, with the code in *out.
static inline int ccurses_get_wch(unsigned int *out) {
    wint_t c = 0;
    int r = get_wch(&c);
    *out = (unsigned int)c;
    return r;
}
// Draws `n` wide characters at (y, x); wchar_t differs in size between platforms.
static inline int ccurses_mvaddwstr(int y, int x, const unsigned int *s, int n) {
    wchar_t buf[512];
    if (n > 511) n = 511;
    for (int i = 0; i < n; i++) buf[i] = (wchar_t)s[i];
    buf[n] = 0;
    return mvaddnwstr(y, x, buf, n);
}
// Writes UTF-8 text at (y, x) with `attrs` past curses' screen model, for a cluster curses
// cannot hold in a cell; call after refresh, then ccurses_direct_flush. The attributes go out
// through vidputs, so curses' record of the terminal's current attributes stays true.
// One output buffer (Swift does not emit a header's globals, so it lives in a function).
// c >= 0 adds a byte; c < 0 sends what is buffered.
static inline int ccurses_direct_putc(int c) {
    static char buffer[8192];
    static int length = 0;
    if (c < 0 || length == (int)sizeof buffer) {
        (void)write(1, buffer, (size_t)length);
        length = 0;
    }
    if (c >= 0) buffer[length++] = (char)c;
    return c;
}
static inline void ccurses_move_direct(int y, int x) {
    const char *cup = tigetstr("cup");
    if (cup == NULL || cup == (const char *)-1) return;
    tputs(tiparm(cup, y, x), 1, ccurses_direct_putc);
}
static inline void ccurses_put_direct(int y, int x, unsigned int attrs, const char *utf8) {
    ccurses_move_direct(y, x);
    vidputs((chtype)attrs, ccurses_direct_putc);
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) ccurses_direct_putc(*p);
    vidputs(A_NORMAL, ccurses_direct_putc);
}
// Puts the terminal cursor back where curses left it and sends the direct writes.
static inline void ccurses_direct_flush(void) {
    ccurses_move_direct(getcury(stdscr), getcurx(stdscr));
    ccurses_direct_putc(-1);
}

// A termination signal's number, kept for the run loop to read (0 while none has come).
static inline volatile sig_atomic_t *ccurses_stop_slot(void) {
    static volatile sig_atomic_t sig = 0;
    return &sig;
}
static inline void ccurses_request_stop(int sig) { *ccurses_stop_slot() = sig; }
static inline int ccurses_stop_signal(void) { return (int)*ccurses_stop_slot(); }

// 0 when `term` is a terminal curses can drive, 1 when terminfo knows it but it cannot move
// the cursor (dumb), 2 when terminfo does not know it. Loads terminfo quietly and frees it.
static inline int ccurses_check_term(const char *term) {
    int err = 0;
    TERMINAL *saved = cur_term;
    if (setupterm((char *)term, 1, &err) != OK) { set_curterm(saved); return 2; }
    const char *cup = tigetstr("cup");
    int usable = cup != NULL && cup != (const char *)-1;
    TERMINAL *checked = set_curterm(saved);
    del_curterm(checked);
    return usable ? 0 : 1;
}

// Clicks, double-clicks and the wheel; the button masks are macros Swift cannot import.
static inline void ccurses_enable_mouse(void) {
    mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}
// After KEY_MOUSE: 1 click, 2 double-click, 3 wheel up, 4 wheel down, 0 anything else.
static inline int ccurses_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_DOUBLE_CLICKED) return 2;
    if (event.bstate & BUTTON1_CLICKED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 3;
    if (event.bstate & BUTTON5_PRESSED) return 4;
    return 0;
}

#endif