/* CancelToken: the core's cancel token (backoff_cancel). A run given one
 * checks it before every attempt and after every failure; libbackoff.Cancel
 * wraps it so that triggering also wakes runs sleeping in Python. */
#include "ext.h"

static PyObject *CancelToken_new(PyTypeObject *type, PyObject *args,
                                 PyObject *kwargs) {
  if (PyTuple_GET_SIZE(args) != 0 ||
      (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0)) {
    PyErr_SetString(PyExc_TypeError, "Token() takes no arguments");
    return NULL;
  }
  CancelToken *self = (CancelToken *)type->tp_alloc(type, 0);
  if (self == NULL)
    return NULL;
  backoff_status st = backoff_cancel_new(&self->token);
  if (st != BACKOFF_OK) {
    Py_DECREF(self);
    raise_status(st, "backoff_cancel_new");
    return NULL;
  }
  return (PyObject *)self;
}

static void CancelToken_dealloc(CancelToken *self) {
  backoff_cancel_free(self->token);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *CancelToken_trigger(CancelToken *self, PyObject *unused) {
  (void)unused;
  backoff_status st = backoff_cancel_trigger(self->token);
  if (st != BACKOFF_OK) {
    raise_status(st, "backoff_cancel_trigger");
    return NULL;
  }
  Py_RETURN_NONE;
}

static PyObject *CancelToken_reset(CancelToken *self, PyObject *unused) {
  (void)unused;
  backoff_status st = backoff_cancel_reset(self->token);
  if (st != BACKOFF_OK) {
    raise_status(st, "backoff_cancel_reset");
    return NULL;
  }
  Py_RETURN_NONE;
}

static PyObject *CancelToken_triggered(CancelToken *self, void *closure) {
  (void)closure;
  return PyBool_FromLong(backoff_cancel_triggered(self->token));
}

static PyMethodDef CancelToken_methods[] = {
    {"trigger", (PyCFunction)CancelToken_trigger, METH_NOARGS,
     "Stops every run using the token."},
    {"reset", (PyCFunction)CancelToken_reset, METH_NOARGS,
     "Untriggers the token."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef CancelToken_getset[] = {
    {"triggered", (getter)CancelToken_triggered, NULL,
     "Whether the token has been triggered.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject CancelToken_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "libbackoff._core.Token",
    .tp_doc = "The core's cancel token.",
    .tp_basicsize = sizeof(CancelToken),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = CancelToken_new,
    .tp_dealloc = (destructor)CancelToken_dealloc,
    .tp_methods = CancelToken_methods,
    .tp_getset = CancelToken_getset,
};
