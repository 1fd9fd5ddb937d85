/* Retrying: what on_exception / on_predicate return for a sync function. A
 * C callable (vectorcall), so a first-try success costs one call of the
 * target plus a few core calls and two clock reads: no Python frame of our
 * own, no tuple or dict unless a handler wants the arguments. It has a
 * __dict__ for functools.wraps and binds as a method like a function. */
#include "ext.h"

typedef struct {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  Retrier *retrier;
  PyObject *target;
  PyObject *dict;
  PyObject *weakrefs;
} Retrying;

/* The blocking driver: attempt, label, ask the core, sleep, repeat. */
static PyObject *Retrying_call(PyObject *self, PyObject *const *argv,
                               size_t nargsf, PyObject *kwnames) {
  Retrying *w = (Retrying *)self;
  run x;
  if (run_start(&x, w->retrier, w->target) < 0) {
    run_release(&x);
    return NULL;
  }
  x.argv = argv;
  x.nargsf = nargsf;
  x.kwnames = kwnames;
  PyObject *result = NULL;
  for (;;) {
    int st = run_begin(&x);
    if (st < 0 || run_flush(&x) < 0)
      break;
    if (st == BACKOFF_CANCELLED) {
      result = run_result(&x, st);
      break;
    }
    PyObject *ret = PyObject_Vectorcall(w->target, argv, nargsf, kwnames);
    int rc;
    if (ret == NULL) {
      PyObject *exc = fetch_exception();
      run_set_exception(&x, exc);
      rc = run_judge_exception(&x);
    } else {
      run_set_value(&x, ret);
      rc = run_judge_value(&x);
    }
    if (rc < 0)
      break;
    double wait = 0.0;
    st = run_next(&x, rc, &wait);
    if (st < 0 || run_flush(&x) < 0)
      break;
    if (st != BACKOFF_RETRY) {
      result = run_result(&x, st);
      break;
    }
    if (run_sleep(&x, wait) < 0)
      break;
  }
  /* The arguments are the caller's: a details dict may keep copies. */
  x.argv = NULL;
  run_release(&x);
  return result;
}

static PyObject *Retrying_new(PyTypeObject *type, PyObject *args,
                              PyObject *kwargs) {
  static char *keywords[] = {"retrier", "target", NULL};
  PyObject *retrier, *target;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!O:Retrying", keywords,
                                   &Retrier_Type, &retrier, &target))
    return NULL;
  if (!PyCallable_Check(target)) {
    PyErr_SetString(PyExc_TypeError, "the decorated object is not callable");
    return NULL;
  }
  Retrying *self = (Retrying *)type->tp_alloc(type, 0);
  if (self == NULL)
    return NULL;
  self->vectorcall = Retrying_call;
  self->retrier = (Retrier *)Py_NewRef(retrier);
  self->target = Py_NewRef(target);
  return (PyObject *)self;
}

static int Retrying_traverse(Retrying *self, visitproc visit, void *arg) {
  Py_VISIT(self->retrier);
  Py_VISIT(self->target);
  Py_VISIT(self->dict);
  return 0;
}

static int Retrying_clear(Retrying *self) {
  Py_CLEAR(self->retrier);
  Py_CLEAR(self->target);
  Py_CLEAR(self->dict);
  return 0;
}

static void Retrying_dealloc(Retrying *self) {
  PyObject_GC_UnTrack(self);
  if (self->weakrefs != NULL)
    PyObject_ClearWeakRefs((PyObject *)self);
  Retrying_clear(self);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Decorating a method gives a method: bind like a function does. */
static PyObject *Retrying_get(PyObject *self, PyObject *obj, PyObject *type) {
  (void)type;
  if (obj == NULL || obj == Py_None)
    return Py_NewRef(self);
  return PyMethod_New(self, obj);
}

static PyObject *Retrying_repr(Retrying *self) {
  return PyUnicode_FromFormat("<retrying %R>", self->target);
}

static PyObject *Retrying_get_retrier(Retrying *self, void *closure) {
  (void)closure;
  return Py_NewRef((PyObject *)self->retrier);
}

/* Pickled by reference, as the function it replaces is (multiprocessing
 * sends module-level functions that way): the name to look up again. */
static PyObject *Retrying_reduce(Retrying *self, PyObject *unused) {
  (void)unused;
  return PyObject_GetAttrString((PyObject *)self, "__qualname__");
}

static PyMethodDef Retrying_methods[] = {
    {"__reduce__", (PyCFunction)Retrying_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Retrying_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {"retrier", (getter)Retrying_get_retrier, NULL,
     "The retry configuration.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject Retrying_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "libbackoff._core.Retrying",
    .tp_doc = "A function retried by libbackoff's core.",
    .tp_basicsize = sizeof(Retrying),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_vectorcall_offset = offsetof(Retrying, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_new = Retrying_new,
    .tp_dealloc = (destructor)Retrying_dealloc,
    .tp_traverse = (traverseproc)Retrying_traverse,
    .tp_clear = (inquiry)Retrying_clear,
    .tp_descr_get = Retrying_get,
    .tp_dictoffset = offsetof(Retrying, dict),
    .tp_weaklistoffset = offsetof(Retrying, weakrefs),
    .tp_repr = (reprfunc)Retrying_repr,
    .tp_getset = Retrying_getset,
    .tp_methods = Retrying_methods,
};
