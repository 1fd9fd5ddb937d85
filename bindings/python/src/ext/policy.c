/* Policy: a retry configuration written as a policy spec, the text form the
 * C core parses (backoff_policy_parse) and writes (backoff_policy_format),
 * shared with the command and the C, C++, Rust and Go bindings. A Policy is
 * immutable: the decorators build their own configured policy from its
 * canonical spec. */
#include "ext.h"

typedef struct {
  PyObject_HEAD
  PyObject *spec; /* canonical */
} Policy;

backoff_policy *policy_from_spec(PyObject *spec) {
  backoff_policy *p = NULL;
  backoff_status st = backoff_policy_new(&p);
  if (st != BACKOFF_OK) {
    raise_status(st, "backoff_policy_new");
    return NULL;
  }
  if (spec == NULL || spec == Py_None)
    return p;
  const char *text = c_text(spec, "the policy spec");
  if (text == NULL) {
    backoff_policy_free(p);
    return NULL;
  }
  size_t offset = 0;
  char message[256] = "";
  st = backoff_policy_parse(p, text, &offset, message, sizeof message);
  if (st != BACKOFF_OK) {
    backoff_policy_free(p);
    if (st == BACKOFF_E_PARSE)
      PyErr_Format(PyExc_ValueError, "invalid policy spec %R at byte %zu: %s",
                   spec, offset, message);
    else
      raise_status(st, "backoff_policy_parse");
    return NULL;
  }
  return p;
}

/* The canonical spec of p, as a str. */
static PyObject *format_policy(const backoff_policy *p) {
  char buf[512];
  size_t needed = 0;
  backoff_status st = backoff_policy_format(p, buf, sizeof buf, &needed);
  if (st != BACKOFF_OK) {
    raise_status(st, "backoff_policy_format");
    return NULL;
  }
  if (needed < sizeof buf)
    return PyUnicode_FromStringAndSize(buf, (Py_ssize_t)needed);
  char *big = PyMem_Malloc(needed + 1);
  if (big == NULL)
    return PyErr_NoMemory();
  st = backoff_policy_format(p, big, needed + 1, &needed);
  PyObject *s = st == BACKOFF_OK
                    ? PyUnicode_FromStringAndSize(big, (Py_ssize_t)needed)
                    : NULL;
  if (st != BACKOFF_OK)
    raise_status(st, "backoff_policy_format");
  PyMem_Free(big);
  return s;
}

static PyObject *policy_make(PyTypeObject *type, PyObject *spec) {
  if (spec != Py_None && !PyUnicode_Check(spec)) {
    PyErr_Format(PyExc_TypeError, "a policy spec is a str, not %.100s",
                 Py_TYPE(spec)->tp_name);
    return NULL;
  }
  backoff_policy *p = policy_from_spec(spec);
  if (p == NULL)
    return NULL;
  PyObject *canonical = format_policy(p);
  backoff_policy_free(p);
  if (canonical == NULL)
    return NULL;
  Policy *self = (Policy *)type->tp_alloc(type, 0);
  if (self == NULL) {
    Py_DECREF(canonical);
    return NULL;
  }
  self->spec = canonical;
  return (PyObject *)self;
}

static PyObject *Policy_new(PyTypeObject *type, PyObject *args,
                            PyObject *kwargs) {
  static char *keywords[] = {"spec", NULL};
  PyObject *spec = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:Policy", keywords, &spec))
    return NULL;
  return policy_make(type, spec);
}

static PyObject *Policy_from_spec(PyObject *cls, PyObject *spec) {
  return policy_make((PyTypeObject *)cls, spec);
}

static void Policy_dealloc(Policy *self) {
  Py_XDECREF(self->spec);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Policy_repr(Policy *self) {
  return PyUnicode_FromFormat("Policy.from_spec(%R)", self->spec);
}

static PyObject *Policy_str(Policy *self) { return Py_NewRef(self->spec); }

static Py_hash_t Policy_hash(Policy *self) { return PyObject_Hash(self->spec); }

static PyObject *Policy_richcompare(PyObject *a, PyObject *b, int op) {
  if (!PyObject_TypeCheck(b, &Policy_Type) || (op != Py_EQ && op != Py_NE))
    Py_RETURN_NOTIMPLEMENTED;
  return PyObject_RichCompare(((Policy *)a)->spec, ((Policy *)b)->spec, op);
}

static PyObject *Policy_get_spec(Policy *self, void *closure) {
  (void)closure;
  return Py_NewRef(self->spec);
}

static PyMethodDef Policy_methods[] = {
    {"from_spec", Policy_from_spec, METH_O | METH_CLASS,
     "Policy.from_spec(spec) -> Policy\n\n"
     "Parses a policy spec such as 'expo(base=2,factor=0.5,max=30) "
     "jitter=full tries=5 time=60'. Raises ValueError naming the byte "
     "offset of a malformed setting."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Policy_getset[] = {
    {"spec", (getter)Policy_get_spec, NULL,
     "The canonical spec: every setting, in the core's order.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject Policy_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "libbackoff.Policy",
    .tp_doc = "Policy(spec=None)\n\n"
              "A retry configuration as a policy spec, shared with the C "
              "core, the command and the other bindings. Pass it as a "
              "decorator's wait_gen.",
    .tp_basicsize = sizeof(Policy),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Policy_new,
    .tp_dealloc = (destructor)Policy_dealloc,
    .tp_repr = (reprfunc)Policy_repr,
    .tp_str = (reprfunc)Policy_str,
    .tp_hash = (hashfunc)Policy_hash,
    .tp_richcompare = Policy_richcompare,
    .tp_methods = Policy_methods,
    .tp_getset = Policy_getset,
};
