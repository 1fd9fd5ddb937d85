/* parse_retry_after: an HTTP Retry-After value as seconds to wait, parsed by
 * the core (delay-seconds or an HTTP-date, RFC 9110). */
#include "ext.h"

#include <math.h>
#include <time.h>

PyObject *parse_retry_after(PyObject *module, PyObject *const *args,
                            Py_ssize_t nargs) {
  (void)module;
  if (nargs < 1 || nargs > 2) {
    PyErr_SetString(PyExc_TypeError, "parse_retry_after(value, now=None)");
    return NULL;
  }
  const char *value = NULL;
  if (PyUnicode_Check(args[0]) || PyBytes_Check(args[0])) {
    value = c_text(args[0], "the Retry-After value");
  } else {
    PyErr_Format(PyExc_TypeError, "a Retry-After value is a str, not %.100s",
                 Py_TYPE(args[0])->tp_name);
    return NULL;
  }
  if (value == NULL)
    return NULL;
  double now;
  if (nargs < 2 || args[1] == Py_None) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    now = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
  } else {
    now = PyFloat_AsDouble(args[1]);
    if (now == -1.0 && PyErr_Occurred())
      return NULL;
  }
  double seconds = 0.0;
  backoff_status st = backoff_parse_retry_after(value, now, &seconds);
  if (st == BACKOFF_E_PARSE) {
    PyErr_Format(PyExc_ValueError, "not a Retry-After value: %R", args[0]);
    return NULL;
  }
  if (st != BACKOFF_OK) {
    raise_status(st, "backoff_parse_retry_after");
    return NULL;
  }
  return PyFloat_FromDouble(seconds);
}
