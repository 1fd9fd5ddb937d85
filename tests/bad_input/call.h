/* The calls of cases.tsv's C column: "wait_expo(0, 1, 0)" is read as its
 * shape, the text with each literal replaced by "_" ("wait_expo(_, _, _)"),
 * and its literals: numbers (nan, inf, -1 …), strings ("a\0b": \0, \\ and
 * \" escapes) and lists of numbers ([1, -1]). */
#ifndef BAD_INPUT_CALL_H
#define BAD_INPUT_CALL_H

#include <stddef.h>

#define CALL_MAX_ARGS 8
#define CALL_MAX_TEXT 256

typedef struct call_arg {
  double number;
  double list[CALL_MAX_ARGS]; /* a list literal's numbers */
  size_t list_size;
  char text[CALL_MAX_TEXT]; /* a string literal, NUL bytes included */
  size_t text_size;
} call_arg;

typedef struct call {
  char shape[CALL_MAX_TEXT];
  call_arg args[CALL_MAX_ARGS];
  size_t n_args;
} call;

/* Reads `text` into *out; returns 0, or -1 when it is not a call. */
int call_parse(const char *text, call *out);

#endif
