#include "call.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_word(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == ':';
}

/* A number at *s (digits, or the words nan and inf); advances past it. */
static int number(const char **s, double *out) {
  const char *p = *s;
  const int negative = *p == '-';
  if (negative)
    ++p;
  if (strncmp(p, "nan", 3) == 0 && !is_word(p[3])) {
    *out = NAN;
    *s = p + 3;
    return 0;
  }
  if (strncmp(p, "inf", 3) == 0 && !is_word(p[3])) {
    *out = negative ? -INFINITY : INFINITY;
    *s = p + 3;
    return 0;
  }
  if (!isdigit((unsigned char)*p) && *p != '.')
    return -1;
  char *end = NULL;
  *out = strtod(*s, &end);
  *s = end;
  return 0;
}

int call_parse(const char *text, call *out) {
  memset(out, 0, sizeof *out);
  size_t shape = 0;
  for (const char *s = text; *s != '\0';) {
    if (shape + 2 >= sizeof out->shape || out->n_args == CALL_MAX_ARGS)
      return -1;
    const int after_word = s > text && is_word(s[-1]);
    call_arg *arg = &out->args[out->n_args];
    if (*s == '"') {
      for (++s; *s != '"'; ++s) {
        if (*s == '\0' || arg->text_size + 1 >= sizeof arg->text)
          return -1;
        char c = *s;
        if (c == '\\') {
          c = *++s;
          if (c == '0')
            c = '\0';
          else if (c != '\\' && c != '"')
            return -1;
        }
        arg->text[arg->text_size++] = c;
      }
      ++s;
    } else if (*s == '[') {
      for (++s; *s != ']';) {
        while (*s == ' ' || *s == ',')
          ++s;
        if (*s == ']')
          break;
        if (arg->list_size == CALL_MAX_ARGS ||
            number(&s, &arg->list[arg->list_size++]) != 0)
          return -1;
      }
      ++s;
    } else if (!after_word && number(&s, &arg->number) == 0) {
      /* a number literal */
    } else {
      out->shape[shape++] = *s++;
      continue;
    }
    out->shape[shape++] = '_';
    ++out->n_args;
  }
  return 0;
}
