/* time.monotonic and time.sleep as the user's tests may have replaced them.
 *
 * Test suites written for the backoff package patch time.sleep (to skip
 * waits) and time.monotonic (to fake elapsed time). The run reads both from
 * the time module at the moment it needs them, as the package does; while
 * they are the originals it uses the system clock directly and calls no
 * Python at all. The check is one dictionary lookup. */
#include "ext.h"

#include <time.h>

static PyObject *time_dict;          /* the time module's namespace */
static PyObject *original_monotonic;
static PyObject *original_sleep;
static PyObject *str_monotonic;
static PyObject *str_sleep;

int clock_init(void) {
  PyObject *time_module = PyImport_ImportModule("time");
  if (time_module == NULL)
    return -1;
  time_dict = Py_NewRef(PyModule_GetDict(time_module));
  Py_DECREF(time_module);
  str_monotonic = PyUnicode_InternFromString("monotonic");
  str_sleep = PyUnicode_InternFromString("sleep");
  if (str_monotonic == NULL || str_sleep == NULL)
    return -1;
  original_monotonic = PyDict_GetItemWithError(time_dict, str_monotonic);
  original_sleep = PyDict_GetItemWithError(time_dict, str_sleep);
  if (original_monotonic == NULL || original_sleep == NULL) {
    if (!PyErr_Occurred())
      PyErr_SetString(PyExc_ImportError, "time.monotonic/sleep missing");
    return -1;
  }
  Py_INCREF(original_monotonic);
  Py_INCREF(original_sleep);
  return 0;
}

static double system_monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double clock_now(void *data) {
  (void)data;
  if (PyErr_Occurred()) /* an earlier callback failed: the run is over */
    return 0.0;
  PyObject *fn = PyDict_GetItemWithError(time_dict, str_monotonic);
  if (fn == original_monotonic)
    return system_monotonic();
  if (fn == NULL) {
    if (!PyErr_Occurred())
      PyErr_SetString(PyExc_AttributeError, "time.monotonic was deleted");
    return 0.0;
  }
  Py_INCREF(fn); /* the call may replace it in the module */
  PyObject *now = PyObject_CallNoArgs(fn);
  Py_DECREF(fn);
  if (now == NULL)
    return 0.0;
  double t = PyFloat_AsDouble(now);
  Py_DECREF(now);
  return t;
}

PyObject *clock_patched_sleep(void) {
  PyObject *fn = PyDict_GetItemWithError(time_dict, str_sleep);
  if (fn == original_sleep)
    return NULL;
  if (fn == NULL && !PyErr_Occurred())
    PyErr_SetString(PyExc_AttributeError, "time.sleep was deleted");
  return fn;
}

PyObject *clock_original_sleep(void) { return original_sleep; }
