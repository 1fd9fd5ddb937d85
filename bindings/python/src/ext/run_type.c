/* Run: one run of the state machine as a Python object, for the drivers
 * written in Python (the async decorator, retry_context, aretry_context).
 * They attempt, sleep (asyncio.sleep for the async ones) and call the
 * handlers; the core decides, through the same run functions the sync
 * decorator uses. */
#include "ext.h"

typedef struct {
  PyObject_HEAD
  run x;
  PyObject *target;
  int started;
} Run;

static PyObject *Run_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
  static char *keywords[] = {"retrier", "target", "args", "kwargs", NULL};
  PyObject *retrier, *target = Py_None, *call_args = NULL, *call_kwargs = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!|OO!O!:Run", keywords,
                                   &Retrier_Type, &retrier, &target,
                                   &PyTuple_Type, &call_args, &PyDict_Type,
                                   &call_kwargs))
    return NULL;
  Run *self = (Run *)type->tp_alloc(type, 0);
  if (self == NULL)
    return NULL;
  self->started = 1;
  if (target != Py_None)
    self->target = Py_NewRef(target);
  if (run_start(&self->x, (Retrier *)retrier, self->target) < 0) {
    Py_DECREF(self);
    return NULL;
  }
  if (self->target != NULL) {
    self->x.args = call_args != NULL ? Py_NewRef(call_args) : PyTuple_New(0);
    self->x.kwargs = call_kwargs != NULL ? Py_NewRef(call_kwargs) : PyDict_New();
    if (self->x.args == NULL || self->x.kwargs == NULL) {
      Py_DECREF(self);
      return NULL;
    }
  }
  return (PyObject *)self;
}

static int Run_traverse(Run *self, visitproc visit, void *arg) {
  Py_VISIT(self->target);
  Py_VISIT(self->x.r);
  Py_VISIT(self->x.args);
  Py_VISIT(self->x.kwargs);
  Py_VISIT(self->x.exc);
  Py_VISIT(self->x.value);
  Py_VISIT(self->x.gen);
  return 0;
}

static int Run_clear(Run *self) {
  Py_CLEAR(self->x.args);
  Py_CLEAR(self->x.kwargs);
  Py_CLEAR(self->x.exc);
  Py_CLEAR(self->x.value);
  Py_CLEAR(self->x.gen);
  return 0;
}

static void Run_dealloc(Run *self) {
  PyObject_GC_UnTrack(self);
  if (self->started)
    run_release(&self->x);
  Py_CLEAR(self->target);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *status_or_null(int st) {
  return st < 0 ? NULL : PyLong_FromLong(st);
}

static PyObject *Run_begin(Run *self, PyObject *unused) {
  (void)unused;
  return status_or_null(run_begin(&self->x));
}

static PyObject *Run_cancel(Run *self, PyObject *unused) {
  (void)unused;
  return status_or_null(run_cancel(&self->x));
}

/* next(rc, outcome, is_exception, hint=None) -> (status, wait) */
static PyObject *Run_next(Run *self, PyObject *const *args, Py_ssize_t nargs) {
  if (nargs < 3 || nargs > 4) {
    PyErr_SetString(PyExc_TypeError,
                    "next(rc, outcome, is_exception, hint=None)");
    return NULL;
  }
  int rc = PyLong_AsLong(args[0]);
  if (rc == -1 && PyErr_Occurred())
    return NULL;
  int is_exception = PyObject_IsTrue(args[2]);
  if (is_exception < 0)
    return NULL;
  if (is_exception)
    run_set_exception(&self->x, Py_NewRef(args[1]));
  else
    run_set_value(&self->x, Py_NewRef(args[1]));
  if (nargs == 4 && rc == RC_RETRY && run_pass_hint(&self->x, args[3]) < 0)
    return NULL;
  double wait = 0.0;
  int st = run_next(&self->x, rc, &wait);
  if (st < 0)
    return NULL;
  return Py_BuildValue("(id)", st, wait);
}

/* label(exception) -> rc: the sync drivers' labelling (the exception types,
 * giveup, a RetryAfter's hint), the same the sync decorator uses. */
static PyObject *Run_label(Run *self, PyObject *exception) {
  run_set_exception(&self->x, Py_NewRef(exception));
  int rc = run_judge_exception(&self->x);
  return rc < 0 ? NULL : PyLong_FromLong(rc);
}

static PyObject *Run_take(Run *self, PyObject *unused) {
  (void)unused;
  return run_take_pending(&self->x);
}

static PyObject *Run_result(Run *self, PyObject *status) {
  int st = PyLong_AsLong(status);
  if (st == -1 && PyErr_Occurred())
    return NULL;
  return run_result(&self->x, st);
}

static PyObject *Run_sleep(Run *self, PyObject *wait) {
  double w = PyFloat_AsDouble(wait);
  if (w == -1.0 && PyErr_Occurred())
    return NULL;
  if (run_sleep(&self->x, w) < 0)
    return NULL;
  Py_RETURN_NONE;
}

static PyMethodDef Run_methods[] = {
    {"begin", (PyCFunction)Run_begin, METH_NOARGS,
     "Before an attempt: the core's status (OK, or CANCELLED)."},
    {"next", (PyCFunction)(void (*)(void))Run_next, METH_FASTCALL,
     "After an attempt: (status, wait)."},
    {"label", (PyCFunction)Run_label, METH_O,
     "A failed attempt's return code for the core (RC_*), as the sync "
     "decorator labels it; hands a RetryAfter's hint to the core."},
    {"cancel", (PyCFunction)Run_cancel, METH_NOARGS,
     "Ends the run as cancelled."},
    {"take", (PyCFunction)Run_take, METH_NOARGS,
     "Emits the pending log line; returns (handlers, details) or None."},
    {"sleep", (PyCFunction)Run_sleep, METH_O,
     "Sleeps between attempts as the sync decorator does (time.sleep, "
     "patched or not); an interrupted sleep cancels the run."},
    {"result", (PyCFunction)Run_result, METH_O,
     "What the call returns (or raises) for the run's final status."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject Run_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "libbackoff._core.Run",
    .tp_doc = "One run of the core's state machine.",
    .tp_basicsize = sizeof(Run),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = Run_new,
    .tp_dealloc = (destructor)Run_dealloc,
    .tp_traverse = (traverseproc)Run_traverse,
    .tp_clear = (inquiry)Run_clear,
    .tp_methods = Run_methods,
};
