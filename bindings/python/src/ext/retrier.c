/* Retrier: one decorated function's (or retry_context's) configuration, and
 * the core policy built from it. The policy starts from a spec and gets the
 * callbacks that tie it to Python: the classifier (return codes from the
 * drivers), hooks and log sink (recorded in the run, called later), custom
 * waits and jitter, limit functions and the patch-aware clock. */
#include "ext.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The drivers label each attempt; the core decides what follows. */
static int classify_code(const backoff_details *d, void *data) {
  (void)data;
  switch (d->last_rc) {
  case RC_SUCCESS:
    return BACKOFF_VERDICT_SUCCESS;
  case RC_RETRY:
    return BACKOFF_VERDICT_RETRY;
  case RC_PASS_THROUGH:
    return BACKOFF_VERDICT_PASS_THROUGH;
  default:
    return BACKOFF_VERDICT_GIVE_UP;
  }
}

static void record_hook(const backoff_details *d, void *data) {
  run *x = d->user_data;
  x->pending_hook = (int)(intptr_t)data;
  x->hook_d = *d;
}

static void record_log(int level, const char *message,
                       const backoff_details *d, void *data) {
  (void)message; /* the Python log line is written from the details */
  (void)data;
  run *x = d->user_data;
  x->pending_log = 1;
  x->log_level = level;
  x->log_d = *d;
}

/* A wait generator written in Python: the reference's protocol, a primed
 * generator sent each failure's exception or value. */
static double custom_wait(const backoff_details *d, void *data) {
  Retrier *r = data;
  run *x = d->user_data;
  if (PyErr_Occurred())
    return -1.0;
  if (x->gen == NULL) { /* made at the first failure: a success pays nothing */
    x->gen = PyObject_CallNoArgs(r->wait_factory);
    if (x->gen == NULL)
      return -1.0;
  }
  PyObject *outcome = x->exc != NULL ? x->exc : x->value;
  PyObject *v = PyObject_CallMethodOneArg(x->gen, refs.str_send,
                                          outcome != NULL ? outcome : Py_None);
  if (v == NULL) {
    if (PyErr_ExceptionMatches(PyExc_StopIteration))
      PyErr_Clear(); /* exhausted: the core gives up */
    return -1.0;
  }
  double w = PyFloat_AsDouble(v);
  if (!(w == -1.0 && PyErr_Occurred()) && (!isfinite(w) || w < 0.0)) {
    PyErr_Format(PyExc_ValueError,
                 "a wait generator gave %R: waits are finite and >= 0", v);
    w = -1.0;
  }
  Py_DECREF(v);
  return PyErr_Occurred() ? -1.0 : w;
}

static double custom_jitter(double wait, double uniform, void *data) {
  (void)uniform; /* a Python jitter draws from its own random source */
  Retrier *r = data;
  if (PyErr_Occurred())
    return 0.0;
  PyObject *w = PyFloat_FromDouble(wait);
  if (w == NULL)
    return 0.0;
  PyObject *v = PyObject_CallOneArg(r->jitter, w);
  Py_DECREF(w);
  if (v == NULL)
    return 0.0;
  double j = PyFloat_AsDouble(v);
  Py_DECREF(v);
  return j;
}

/* The Python side hands over limit functions that already return the core's
 * form: an int >= 0 (0: unlimited) and a float >= 0 (0: unlimited). */
static unsigned max_tries_call(void *data) {
  Retrier *r = data;
  if (PyErr_Occurred())
    return 0;
  PyObject *v = PyObject_CallNoArgs(r->max_tries_fn);
  if (v == NULL)
    return 0;
  unsigned long n = PyLong_AsUnsignedLong(v);
  Py_DECREF(v);
  if (n == (unsigned long)-1 && PyErr_Occurred())
    return 0;
  return n > UINT32_MAX ? UINT32_MAX : (unsigned)n;
}

static double max_time_call(void *data) {
  Retrier *r = data;
  if (PyErr_Occurred())
    return 0.0;
  PyObject *v = PyObject_CallNoArgs(r->max_time_fn);
  if (v == NULL)
    return 0.0;
  double t = PyFloat_AsDouble(v);
  Py_DECREF(v);
  return t;
}

static int check(backoff_status st, const char *what) {
  if (st == BACKOFF_OK)
    return 0;
  raise_status(st, what);
  return -1;
}

static backoff_policy *configure(Retrier *r, PyObject *spec) {
  static backoff_status (*const add_hook[HOOK_KINDS])(
      backoff_policy *, backoff_hook_fn, void *, backoff_destroy_fn) = {
      backoff_policy_on_try, backoff_policy_on_backoff,
      backoff_policy_on_success, backoff_policy_on_giveup};
  backoff_policy *p = policy_from_spec(spec);
  if (p == NULL)
    return NULL;
  if (check(backoff_policy_classify(p, classify_code, NULL, NULL),
            "backoff_policy_classify") < 0 ||
      check(backoff_policy_clock(p, clock_now, NULL, NULL),
            "backoff_policy_clock") < 0)
    goto fail;
  if (r->wait_factory != NULL &&
      check(backoff_policy_wait_custom(p, custom_wait, r, NULL),
            "backoff_policy_wait_custom") < 0)
    goto fail;
  if (r->jitter != NULL &&
      check(backoff_policy_jitter_custom(p, custom_jitter, r, NULL),
            "backoff_policy_jitter_custom") < 0)
    goto fail;
  if (r->max_tries_fn != NULL &&
      check(backoff_policy_max_tries_fn(p, max_tries_call, r, NULL),
            "backoff_policy_max_tries_fn") < 0)
    goto fail;
  if (r->max_time_fn != NULL &&
      check(backoff_policy_max_time_fn(p, max_time_call, r, NULL),
            "backoff_policy_max_time_fn") < 0)
    goto fail;
  for (int kind = 0; kind < HOOK_KINDS; kind++) {
    if (PyTuple_GET_SIZE(r->handlers[kind]) == 0)
      continue; /* no hook at all: the core skips the work */
    if (check(add_hook[kind](p, record_hook, (void *)(intptr_t)kind, NULL),
              "backoff_policy_on_*") < 0)
      goto fail;
  }
  if (r->budget != NULL &&
      check(backoff_policy_budget(p, ((Budget *)r->budget)->budget),
            "backoff_policy_budget") < 0)
    goto fail;
  if (r->logger != NULL &&
      (check(backoff_policy_log(p, record_log, NULL, NULL),
             "backoff_policy_log") < 0 ||
       check(backoff_policy_log_levels(p, r->backoff_level, r->giveup_level),
             "backoff_policy_log_levels") < 0))
    goto fail;
  return p;
fail:
  backoff_policy_free(p);
  return NULL;
}

backoff_policy *retrier_policy_for_run(Retrier *r, backoff_policy **owned) {
  *owned = NULL;
  if (r->policy != NULL)
    return r->policy;
  /* Wait arguments given as callables: evaluated for every call, as the
   * reference does, into a policy of this run's own. */
  PyObject *wait = PyObject_CallNoArgs(r->wait_spec_fn);
  if (wait == NULL)
    return NULL;
  PyObject *spec = PyUnicode_FromFormat("%U %U", r->spec, wait);
  Py_DECREF(wait);
  if (spec == NULL)
    return NULL;
  *owned = configure(r, spec);
  Py_DECREF(spec);
  return *owned;
}

static PyObject *optional(PyObject *o) {
  return o == NULL || o == Py_None ? NULL : Py_NewRef(o);
}

static int handlers_tuple(PyObject *o, PyObject **out, const char *name) {
  if (o == NULL || o == Py_None) {
    *out = PyTuple_New(0);
    return *out == NULL ? -1 : 0;
  }
  if (!PyTuple_Check(o)) {
    PyErr_Format(PyExc_TypeError, "%s must be a tuple of callables", name);
    return -1;
  }
  *out = Py_NewRef(o);
  return 0;
}

static PyObject *Retrier_new(PyTypeObject *type, PyObject *args,
                             PyObject *kwargs) {
  static char *keywords[] = {
      "spec",       "mode",       "exception",      "giveup",
      "predicate",  "on_try",     "on_backoff",     "on_success",
      "on_giveup",  "logger",     "backoff_level",  "giveup_level",
      "raise_on_giveup", "name",  "wait_spec_fn",   "wait_factory",
      "jitter",     "max_tries_fn", "max_time_fn",  "cancel",
      "cancel_event", "budget", NULL};
  PyObject *spec, *exception = NULL, *giveup = NULL, *predicate = NULL;
  PyObject *hooks[HOOK_KINDS] = {NULL, NULL, NULL, NULL};
  PyObject *logger = NULL, *name = Py_None, *wait_spec_fn = NULL;
  PyObject *wait_factory = NULL, *jitter = NULL, *max_tries_fn = NULL;
  PyObject *max_time_fn = NULL, *cancel = NULL, *cancel_event = NULL;
  PyObject *budget = NULL;
  int mode = MODE_EXCEPTION, backoff_level = BACKOFF_LOG_INFO;
  int giveup_level = BACKOFF_LOG_ERROR, raise_on_giveup = 1;
  if (!PyArg_ParseTupleAndKeywords(
          args, kwargs, "U|$iOOOOOOOOiipOOOOOOOOO:Retrier", keywords, &spec,
          &mode, &exception, &giveup, &predicate, &hooks[HOOK_TRY],
          &hooks[HOOK_BACKOFF], &hooks[HOOK_SUCCESS], &hooks[HOOK_GIVEUP],
          &logger, &backoff_level, &giveup_level, &raise_on_giveup, &name,
          &wait_spec_fn, &wait_factory, &jitter, &max_tries_fn, &max_time_fn,
          &cancel, &cancel_event, &budget))
    return NULL;
  if (mode != MODE_EXCEPTION && mode != MODE_PREDICATE) {
    PyErr_SetString(PyExc_ValueError, "unknown mode");
    return NULL;
  }
  if (cancel != NULL && cancel != Py_None &&
      !PyObject_TypeCheck(cancel, &CancelToken_Type)) {
    PyErr_SetString(PyExc_TypeError, "cancel must be a _core.Token");
    return NULL;
  }
  if (budget != NULL && budget != Py_None &&
      !PyObject_TypeCheck(budget, &Budget_Type)) {
    PyErr_SetString(PyExc_TypeError, "budget must be a libbackoff.Budget");
    return NULL;
  }
  if (name != Py_None && !PyUnicode_Check(name)) {
    PyErr_SetString(PyExc_TypeError, "name must be a str or None");
    return NULL;
  }

  Retrier *r = (Retrier *)type->tp_alloc(type, 0);
  if (r == NULL)
    return NULL;
  r->mode = mode;
  r->raise_on_giveup = raise_on_giveup;
  r->backoff_level = backoff_level;
  r->giveup_level = giveup_level;
  r->spec = Py_NewRef(spec);
  r->exception = optional(exception);
  r->giveup = optional(giveup);
  r->predicate = optional(predicate);
  r->logger = optional(logger);
  r->name = Py_NewRef(name);
  r->wait_spec_fn = optional(wait_spec_fn);
  r->wait_factory = optional(wait_factory);
  r->jitter = optional(jitter);
  r->max_tries_fn = optional(max_tries_fn);
  r->max_time_fn = optional(max_time_fn);
  r->cancel = optional(cancel);
  r->cancel_event = optional(cancel_event);
  r->budget = optional(budget);
  static const char *const hook_names[HOOK_KINDS] = {
      "on_try", "on_backoff", "on_success", "on_giveup"};
  for (int kind = 0; kind < HOOK_KINDS; kind++)
    if (handlers_tuple(hooks[kind], &r->handlers[kind], hook_names[kind]) < 0)
      goto fail;

  const char *label = name == Py_None ? "retry_context" : c_text(name, "the label");
  if (label == NULL)
    goto fail;
  r->label = PyMem_Malloc(strlen(label) + 1);
  if (r->label == NULL) {
    PyErr_NoMemory();
    goto fail;
  }
  strcpy(r->label, label);

  if (r->wait_spec_fn == NULL) {
    r->policy = configure(r, spec);
    if (r->policy == NULL)
      goto fail;
  } else { /* the wait comes with each run; check the rest now */
    backoff_policy *p = policy_from_spec(spec);
    if (p == NULL)
      goto fail;
    backoff_policy_free(p);
  }
  return (PyObject *)r;
fail:
  Py_DECREF(r);
  return NULL;
}

static int Retrier_traverse(Retrier *r, visitproc visit, void *arg) {
  Py_VISIT(r->spec);
  Py_VISIT(r->wait_spec_fn);
  Py_VISIT(r->wait_factory);
  Py_VISIT(r->jitter);
  Py_VISIT(r->max_tries_fn);
  Py_VISIT(r->max_time_fn);
  Py_VISIT(r->exception);
  Py_VISIT(r->giveup);
  Py_VISIT(r->predicate);
  for (int kind = 0; kind < HOOK_KINDS; kind++)
    Py_VISIT(r->handlers[kind]);
  Py_VISIT(r->logger);
  Py_VISIT(r->name);
  Py_VISIT(r->cancel);
  Py_VISIT(r->cancel_event);
  Py_VISIT(r->budget);
  return 0;
}

static int Retrier_clear(Retrier *r) {
  Py_CLEAR(r->wait_spec_fn);
  Py_CLEAR(r->wait_factory);
  Py_CLEAR(r->jitter);
  Py_CLEAR(r->max_tries_fn);
  Py_CLEAR(r->max_time_fn);
  Py_CLEAR(r->exception);
  Py_CLEAR(r->giveup);
  Py_CLEAR(r->predicate);
  for (int kind = 0; kind < HOOK_KINDS; kind++)
    Py_CLEAR(r->handlers[kind]);
  Py_CLEAR(r->logger);
  Py_CLEAR(r->cancel);
  Py_CLEAR(r->cancel_event);
  Py_CLEAR(r->budget);
  return 0;
}

static void Retrier_dealloc(Retrier *r) {
  PyObject_GC_UnTrack(r);
  /* The policy's callbacks borrow r: free it first. */
  backoff_policy_free(r->policy);
  Retrier_clear(r);
  Py_XDECREF(r->spec);
  Py_XDECREF(r->name);
  PyMem_Free(r->label);
  Py_TYPE(r)->tp_free((PyObject *)r);
}

static PyObject *Retrier_get_spec(Retrier *r, void *closure) {
  (void)closure;
  return Py_NewRef(r->spec);
}

static PyGetSetDef Retrier_getset[] = {
    {"spec", (getter)Retrier_get_spec, NULL, "The spec the policy starts from.",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject Retrier_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "libbackoff._core.Retrier",
    .tp_doc = "A decorated function's retry configuration and core policy.",
    .tp_basicsize = sizeof(Retrier),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = Retrier_new,
    .tp_dealloc = (destructor)Retrier_dealloc,
    .tp_traverse = (traverseproc)Retrier_traverse,
    .tp_clear = (inquiry)Retrier_clear,
    .tp_getset = Retrier_getset,
};
