/* The module: its types, parse_retry_after, and the objects the package
 * hands over at import (its exception types and log emitter). */
#include "ext.h"

#include <string.h>

module_refs refs;

void raise_status(backoff_status st, const char *what) {
  if (st == BACKOFF_E_NOMEM) {
    PyErr_NoMemory();
    return;
  }
  PyErr_Format(st == BACKOFF_E_INVALID || st == BACKOFF_E_PARSE
                   ? PyExc_ValueError
                   : PyExc_RuntimeError,
               "%s: %s", what, backoff_strerror(st));
}

const char *c_text(PyObject *text, const char *what) {
  const char *s;
  Py_ssize_t n;
  if (PyBytes_Check(text)) {
    if (PyBytes_AsStringAndSize(text, (char **)&s, &n) < 0)
      return NULL;
  } else {
    s = PyUnicode_AsUTF8AndSize(text, &n);
    if (s == NULL)
      return NULL;
  }
  const char *nul = memchr(s, '\0', (size_t)n);
  if (nul != NULL) {
    PyErr_Format(PyExc_ValueError, "%s holds a NUL byte at byte %zd", what,
                 (Py_ssize_t)(nul - s));
    return NULL;
  }
  return s;
}

static PyObject *install(PyObject *module, PyObject *args, PyObject *kwargs) {
  (void)module;
  static char *keywords[] = {"retry_after_type", "cancelled_type", "emit_log",
                             NULL};
  PyObject *retry_after_type, *cancelled_type, *emit_log;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!O!O:install", keywords,
                                   &PyType_Type, &retry_after_type,
                                   &PyType_Type, &cancelled_type, &emit_log))
    return NULL;
  Py_XSETREF(refs.retry_after_type, Py_NewRef(retry_after_type));
  Py_XSETREF(refs.cancelled_type, Py_NewRef(cancelled_type));
  Py_XSETREF(refs.emit_log, Py_NewRef(emit_log));
  Py_RETURN_NONE;
}

static PyObject *strerror_(PyObject *module, PyObject *status) {
  (void)module;
  long st = PyLong_AsLong(status);
  if (st == -1 && PyErr_Occurred())
    return NULL;
  return PyUnicode_FromString(backoff_strerror((int)st));
}

static PyMethodDef module_methods[] = {
    {"install", (PyCFunction)(void (*)(void))install,
     METH_VARARGS | METH_KEYWORDS,
     "Hands the package's exception types and log emitter to the module."},
    {"parse_retry_after", (PyCFunction)(void (*)(void))parse_retry_after,
     METH_FASTCALL,
     "parse_retry_after(value, now=None) -> float\n\n"
     "Seconds to wait for an HTTP Retry-After value: delay-seconds ('120') "
     "or an HTTP-date. now is the Unix time (default: time.time()); a date "
     "in the past gives 0.0. Raises ValueError for anything else."},
    {"strerror", strerror_, METH_O, "The core's description of a status."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_core",
    "libbackoff's C core, driven from Python.", -1, module_methods,
    NULL, NULL, NULL, NULL,
};

static int add_type(PyObject *m, PyTypeObject *type, const char *name) {
  if (PyType_Ready(type) < 0)
    return -1;
  return PyModule_AddObjectRef(m, name, (PyObject *)type);
}

static int add_int(PyObject *m, const char *name, long value) {
  return PyModule_AddIntConstant(m, name, value);
}

PyMODINIT_FUNC PyInit__core(void) {
  if (clock_init() < 0)
    return NULL;
  PyObject *operator_module = PyImport_ImportModule("operator");
  if (operator_module == NULL)
    return NULL;
  refs.not_ = PyObject_GetAttrString(operator_module, "not_");
  Py_DECREF(operator_module);
  refs.str_retry_after = PyUnicode_InternFromString("retry_after");
  refs.str_is_enabled_for = PyUnicode_InternFromString("isEnabledFor");
  refs.str_send = PyUnicode_InternFromString("send");
  refs.str_wait = PyUnicode_InternFromString("wait");
  if (refs.not_ == NULL || refs.str_retry_after == NULL ||
      refs.str_is_enabled_for == NULL || refs.str_send == NULL ||
      refs.str_wait == NULL)
    return NULL;

  PyObject *m = PyModule_Create(&module_def);
  if (m == NULL)
    return NULL;
  if (add_type(m, &Policy_Type, "Policy") < 0 ||
      add_type(m, &CancelToken_Type, "Token") < 0 ||
      add_type(m, &Budget_Type, "Budget") < 0 ||
      add_type(m, &Retrier_Type, "Retrier") < 0 ||
      add_type(m, &Run_Type, "Run") < 0 ||
      add_type(m, &Retrying_Type, "Retrying") < 0 ||
      add_int(m, "OK", BACKOFF_OK) < 0 ||
      add_int(m, "RETRY", BACKOFF_RETRY) < 0 ||
      add_int(m, "GAVE_UP_TRIES", BACKOFF_GAVE_UP_TRIES) < 0 ||
      add_int(m, "GAVE_UP_TIME", BACKOFF_GAVE_UP_TIME) < 0 ||
      add_int(m, "GAVE_UP_FATAL", BACKOFF_GAVE_UP_FATAL) < 0 ||
      add_int(m, "GAVE_UP_EXHAUSTED", BACKOFF_GAVE_UP_EXHAUSTED) < 0 ||
      add_int(m, "CANCELLED", BACKOFF_CANCELLED) < 0 ||
      add_int(m, "PASSED_THROUGH", BACKOFF_PASSED_THROUGH) < 0 ||
      add_int(m, "GAVE_UP_BUDGET", BACKOFF_GAVE_UP_BUDGET) < 0 ||
      add_int(m, "RC_SUCCESS", RC_SUCCESS) < 0 ||
      add_int(m, "RC_RETRY", RC_RETRY) < 0 ||
      add_int(m, "RC_GIVE_UP", RC_GIVE_UP) < 0 ||
      add_int(m, "RC_PASS_THROUGH", RC_PASS_THROUGH) < 0 ||
      add_int(m, "MODE_EXCEPTION", MODE_EXCEPTION) < 0 ||
      add_int(m, "MODE_PREDICATE", MODE_PREDICATE) < 0 ||
      PyModule_AddStringConstant(m, "core_version",
                                 backoff_version_string()) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
