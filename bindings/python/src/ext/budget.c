/* Budget: the core's retry budget (backoff_budget), shared by any number of
 * decorated functions: retries stay under `ratio` per first attempt in any
 * `window` seconds, plus a floor of `min_per_second`. Its clock is the
 * patch-aware one, so a test that fakes time.monotonic drives it too. */
#include "ext.h"

static PyObject *Budget_new(PyTypeObject *type, PyObject *args,
                            PyObject *kwargs) {
  static char *keywords[] = {"ratio", "min_per_second", "window", NULL};
  double ratio = 0.2, min_per_second = 10.0, window = 10.0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|ddd:Budget", keywords,
                                   &ratio, &min_per_second, &window))
    return NULL;
  Budget *self = (Budget *)type->tp_alloc(type, 0);
  if (self == NULL)
    return NULL;
  backoff_status st =
      backoff_budget_new(&self->budget, ratio, min_per_second, window);
  if (st == BACKOFF_OK)
    st = backoff_budget_clock(self->budget, clock_now, NULL, NULL);
  if (st != BACKOFF_OK) {
    Py_DECREF(self);
    if (st == BACKOFF_E_INVALID)
      PyErr_SetString(PyExc_ValueError,
                      "Budget: ratio and min_per_second must be finite and "
                      ">= 0, window finite and > 0");
    else
      raise_status(st, "backoff_budget_new");
    return NULL;
  }
  return (PyObject *)self;
}

static void Budget_dealloc(Budget *self) {
  backoff_budget_free(self->budget); /* policies keep their own reference */
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static int put(PyObject *dict, const char *key, PyObject *value) {
  if (value == NULL)
    return -1;
  int rc = PyDict_SetItemString(dict, key, value);
  Py_DECREF(value);
  return rc;
}

static PyObject *Budget_stats(Budget *self, PyObject *unused) {
  (void)unused;
  backoff_budget_stats s = BACKOFF_BUDGET_STATS_INIT;
  backoff_status st = backoff_budget_stats_get(self->budget, &s);
  if (PyErr_Occurred()) /* a patched clock raised */
    return NULL;
  if (st != BACKOFF_OK) {
    raise_status(st, "backoff_budget_stats_get");
    return NULL;
  }
  PyObject *d = PyDict_New();
  if (d == NULL ||
      put(d, "first_attempts", PyLong_FromUnsignedLongLong(s.first_attempts)) < 0 ||
      put(d, "retries", PyLong_FromUnsignedLongLong(s.retries)) < 0 ||
      put(d, "refusals", PyLong_FromUnsignedLongLong(s.refusals)) < 0 ||
      put(d, "available", PyFloat_FromDouble(s.available)) < 0 ||
      put(d, "total_first_attempts",
          PyLong_FromUnsignedLongLong(s.total_first_attempts)) < 0 ||
      put(d, "total_retries", PyLong_FromUnsignedLongLong(s.total_retries)) < 0 ||
      put(d, "total_refusals", PyLong_FromUnsignedLongLong(s.total_refusals)) < 0 ||
      put(d, "ratio", PyFloat_FromDouble(s.ratio)) < 0 ||
      put(d, "min_per_second", PyFloat_FromDouble(s.min_per_second)) < 0 ||
      put(d, "window", PyFloat_FromDouble(s.window)) < 0) {
    Py_XDECREF(d);
    return NULL;
  }
  return d;
}

static PyObject *Budget_repr(Budget *self) {
  backoff_budget_stats s = BACKOFF_BUDGET_STATS_INIT;
  if (backoff_budget_stats_get(self->budget, &s) != BACKOFF_OK || PyErr_Occurred())
    return NULL;
  PyObject *ratio = PyFloat_FromDouble(s.ratio);
  PyObject *floor = PyFloat_FromDouble(s.min_per_second);
  PyObject *window = PyFloat_FromDouble(s.window);
  PyObject *r = ratio && floor && window
                    ? PyUnicode_FromFormat(
                          "Budget(ratio=%R, min_per_second=%R, window=%R)",
                          ratio, floor, window)
                    : NULL;
  Py_XDECREF(ratio);
  Py_XDECREF(floor);
  Py_XDECREF(window);
  return r;
}

static PyMethodDef Budget_methods[] = {
    {"stats", (PyCFunction)Budget_stats, METH_NOARGS,
     "The budget's counters now: first_attempts, retries, refusals (in the "
     "current window), available, the totals since it was made, and its "
     "parameters."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject Budget_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "libbackoff.Budget",
    .tp_doc = "Budget(ratio=0.2, min_per_second=10, window=10)\n\n"
              "A retry budget shared by every decorated function given it "
              "(budget=...): in any window of `window` seconds, retries stay "
              "within ratio * first attempts + min_per_second * window. A "
              "refused retry gives up (details reason 'budget'). "
              "Thread-safe.",
    .tp_basicsize = sizeof(Budget),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Budget_new,
    .tp_dealloc = (destructor)Budget_dealloc,
    .tp_repr = (reprfunc)Budget_repr,
    .tp_methods = Budget_methods,
};
