/* One run of the core's state machine, as every driver (the sync decorator,
 * the async one, retry_context and aretry_context) uses it: start, begin an
 * attempt, report how it ended, sleep what the core says, and hand the
 * recorded hook and log calls to Python. No retry decision is made here:
 * the drivers label each attempt with a return code and the core decides. */
#include "ext.h"

#include <math.h>
#include <string.h>

/* ---- exceptions as objects ---------------------------------------------- */

PyObject *fetch_exception(void) {
#if PY_VERSION_HEX >= 0x030C0000
  return PyErr_GetRaisedException();
#else
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyErr_NormalizeException(&type, &value, &tb);
  if (tb != NULL && value != NULL)
    PyException_SetTraceback(value, tb);
  Py_XDECREF(type);
  Py_XDECREF(tb);
  return value;
#endif
}

void restore_exception(PyObject *exc) { /* steals exc */
#if PY_VERSION_HEX >= 0x030C0000
  PyErr_SetRaisedException(exc);
#else
  PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc,
                PyException_GetTraceback(exc));
#endif
}

/* The exception now set gets `context` as its __context__, as if it had
 * been raised while handling it (a giveup or handler that raised). */
static void chain_context(PyObject *context) {
  if (context == NULL)
    return;
  PyObject *exc = fetch_exception();
  if (exc != context)
    PyException_SetContext(exc, Py_NewRef(context));
  restore_exception(exc);
}

/* ---- lifecycle ----------------------------------------------------------- */

int run_start(run *x, Retrier *r, PyObject *target) {
  x->r = (Retrier *)Py_NewRef(r);
  x->owned_policy = NULL;
  x->s = NULL;
  x->heap_mem = NULL;
  x->target = target;
  x->argv = NULL;
  x->nargsf = 0;
  x->kwnames = NULL;
  x->args = x->kwargs = x->exc = x->value = x->gen = NULL;
  x->pending_hook = HOOK_NONE;
  x->pending_log = 0;

  const backoff_policy *p = retrier_policy_for_run(r, &x->owned_policy);
  if (p == NULL)
    return -1;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  opts.label = r->label;
  /* Only hooks look at a success's details: the core may skip a clock read. */
  opts.flags = BACKOFF_RUN_UNREAD_SUCCESS;
  if (r->cancel != NULL)
    opts.cancel = ((CancelToken *)r->cancel)->token;
  size_t size = backoff_state_size();
  void *mem = x->mem;
  if (size > sizeof x->mem) { /* a newer core may need more */
    mem = x->heap_mem = PyMem_Malloc(size);
    if (mem == NULL) {
      PyErr_NoMemory();
      return -1;
    }
  } else {
    size = sizeof x->mem;
  }
  backoff_status st = backoff_state_init(mem, size, p, &opts, x, &x->s);
  if (PyErr_Occurred()) /* a limit function or the clock raised */
    return -1;
  if (st != BACKOFF_OK) {
    raise_status(st, "backoff_state_init");
    return -1;
  }
  return 0;
}

void run_release(run *x) {
  /* A state in caller memory needs no freeing; its policy outlives it. */
  Py_CLEAR(x->args);
  Py_CLEAR(x->kwargs);
  Py_CLEAR(x->exc);
  Py_CLEAR(x->value);
  Py_CLEAR(x->gen);
  backoff_policy_free(x->owned_policy);
  x->owned_policy = NULL;
  PyMem_Free(x->heap_mem);
  x->heap_mem = NULL;
  Py_CLEAR(x->r);
}

/* After every core call: a Python error raised inside a callback wins over
 * whatever the core answered, and its recorded calls are dropped. */
static int after_core(run *x, backoff_status st, const char *what) {
  if (PyErr_Occurred()) {
    x->pending_hook = HOOK_NONE;
    x->pending_log = 0;
    return -1;
  }
  if (st < 0) {
    raise_status(st, what);
    return -1;
  }
  return (int)st;
}

int run_begin(run *x) {
  return after_core(x, backoff_state_begin(x->s), "backoff_state_begin");
}

int run_next(run *x, int rc, double *wait) {
  return after_core(x, backoff_state_next(x->s, rc, wait),
                    "backoff_state_next");
}

int run_cancel(run *x) {
  return after_core(x, backoff_state_cancel(x->s), "backoff_state_cancel");
}

void run_set_exception(run *x, PyObject *exc) {
  Py_XSETREF(x->exc, exc);
  Py_CLEAR(x->value);
}

void run_set_value(run *x, PyObject *value) {
  Py_XSETREF(x->value, value);
  Py_CLEAR(x->exc);
}

/* ---- labelling an attempt ------------------------------------------------ */

int run_pass_hint(run *x, PyObject *hint) {
  if (hint == NULL || hint == Py_None)
    return 0;
  double seconds = PyFloat_AsDouble(hint);
  if (seconds == -1.0 && PyErr_Occurred())
    return -1;
  if (isnan(seconds) || seconds < 0.0)
    return 0; /* no usable hint: the policy's own wait applies (+inf: never) */
  return after_core(x, backoff_state_retry_after(x->s, seconds),
                    "backoff_state_retry_after") < 0
             ? -1
             : 0;
}

int run_judge_exception(run *x) {
  Retrier *r = x->r;
  if (r->mode == MODE_PREDICATE ||
      !PyErr_GivenExceptionMatches(x->exc, r->exception))
    return RC_PASS_THROUGH;
  if (r->giveup != NULL) {
    PyObject *v = PyObject_CallOneArg(r->giveup, x->exc);
    int fatal = v == NULL ? -1 : PyObject_IsTrue(v);
    Py_XDECREF(v);
    if (fatal < 0) {
      chain_context(x->exc);
      return -1;
    }
    if (fatal)
      return RC_GIVE_UP;
  }
  if (PyObject_TypeCheck(x->exc, (PyTypeObject *)refs.retry_after_type)) {
    PyObject *hint = PyObject_GetAttr(x->exc, refs.str_retry_after);
    int rc = hint == NULL ? -1 : run_pass_hint(x, hint);
    Py_XDECREF(hint);
    if (rc < 0)
      return -1;
  }
  return RC_RETRY;
}

int run_judge_value(run *x) {
  Retrier *r = x->r;
  if (r->mode == MODE_EXCEPTION)
    return RC_SUCCESS;
  int retry;
  if (r->predicate == refs.not_) {
    retry = PyObject_Not(x->value);
  } else {
    PyObject *v = PyObject_CallOneArg(r->predicate, x->value);
    retry = v == NULL ? -1 : PyObject_IsTrue(v);
    Py_XDECREF(v);
  }
  if (retry < 0)
    return -1;
  return retry ? RC_RETRY : RC_SUCCESS;
}

/* ---- handlers and log ---------------------------------------------------- */

static int ensure_call_arguments(run *x) {
  if (x->args != NULL)
    return 0;
  Py_ssize_t nargs = (Py_ssize_t)PyVectorcall_NARGS(x->nargsf);
  x->args = PyTuple_New(nargs);
  x->kwargs = PyDict_New();
  if (x->args == NULL || x->kwargs == NULL)
    return -1;
  for (Py_ssize_t i = 0; i < nargs; i++)
    PyTuple_SET_ITEM(x->args, i, Py_NewRef(x->argv[i]));
  Py_ssize_t nkw = x->kwnames == NULL ? 0 : PyTuple_GET_SIZE(x->kwnames);
  for (Py_ssize_t i = 0; i < nkw; i++)
    if (PyDict_SetItem(x->kwargs, PyTuple_GET_ITEM(x->kwnames, i),
                       x->argv[nargs + i]) < 0)
      return -1;
  return 0;
}

static const char *reason_of(int outcome) {
  switch (outcome) {
  case BACKOFF_GAVE_UP_TRIES:
    return "tries";
  case BACKOFF_GAVE_UP_TIME:
    return "time";
  case BACKOFF_GAVE_UP_FATAL:
    return "giveup";
  case BACKOFF_GAVE_UP_EXHAUSTED:
    return "exhausted";
  case BACKOFF_CANCELLED:
    return "cancelled";
  default:
    return "budget";
  }
}

static int set_item(PyObject *dict, const char *key, PyObject *value) {
  if (value == NULL)
    return -1;
  int rc = PyDict_SetItemString(dict, key, value);
  Py_DECREF(value);
  return rc;
}

/* The handlers' details dict: the reference's keys, plus "hint" (the
 * server's wait, when the failure carried one) and "reason" (why the run
 * gave up). */
static PyObject *details_dict(run *x, const backoff_details *d, int kind) {
  PyObject *dict = PyDict_New();
  if (dict == NULL)
    return NULL;
  if (x->target != NULL &&
      (ensure_call_arguments(x) < 0 ||
       PyDict_SetItemString(dict, "target", x->target) < 0 ||
       PyDict_SetItemString(dict, "args", x->args) < 0 ||
       PyDict_SetItemString(dict, "kwargs", x->kwargs) < 0))
    goto fail;
  if (set_item(dict, "tries", PyLong_FromUnsignedLong(d->tries)) < 0 ||
      set_item(dict, "elapsed", PyFloat_FromDouble(d->elapsed)) < 0)
    goto fail;
  if (kind == HOOK_BACKOFF &&
      set_item(dict, "wait", PyFloat_FromDouble(d->wait)) < 0)
    goto fail;
  if (kind != HOOK_TRY) {
    if (x->exc != NULL) {
      if (PyDict_SetItemString(dict, "exception", x->exc) < 0)
        goto fail;
    } else if (x->value != NULL && x->r->mode == MODE_PREDICATE) {
      if (PyDict_SetItemString(dict, "value", x->value) < 0)
        goto fail;
    }
  }
  if ((kind == HOOK_BACKOFF || kind == HOOK_GIVEUP) && d->hint >= 0.0 &&
      set_item(dict, "hint", PyFloat_FromDouble(d->hint)) < 0)
    goto fail;
  if (kind == HOOK_GIVEUP &&
      set_item(dict, "reason", PyUnicode_FromString(reason_of(d->outcome))) < 0)
    goto fail;
  return dict;
fail:
  Py_DECREF(dict);
  return NULL;
}

/* The log line the core asked for, through the logging module: checked
 * with isEnabledFor first, so a silent logger costs one call. */
static int emit_log(run *x) {
  if (!x->pending_log)
    return 0;
  x->pending_log = 0;
  Retrier *r = x->r;
  PyObject *level = PyLong_FromLong(x->log_level);
  if (level == NULL)
    return -1;
  PyObject *enabled =
      PyObject_CallMethodOneArg(r->logger, refs.str_is_enabled_for, level);
  int on = enabled == NULL ? -1 : PyObject_IsTrue(enabled);
  Py_XDECREF(enabled);
  if (on <= 0) {
    Py_DECREF(level);
    return on;
  }
  const backoff_details *d = &x->log_d;
  PyObject *args[7] = {
      r->logger,
      level,
      PyBool_FromLong(d->outcome != BACKOFF_RETRY),
      r->name,
      PyLong_FromUnsignedLong(d->tries),
      PyFloat_FromDouble(d->wait),
      x->exc != NULL ? x->exc : (x->value != NULL ? x->value : Py_None),
  };
  PyObject *res = NULL;
  if (args[2] != NULL && args[4] != NULL && args[5] != NULL)
    res = PyObject_Vectorcall(refs.emit_log, args, 7, NULL);
  Py_DECREF(level);
  Py_XDECREF(args[2]);
  Py_XDECREF(args[4]);
  Py_XDECREF(args[5]);
  if (res == NULL)
    return -1;
  Py_DECREF(res);
  return 0;
}

PyObject *run_take_pending(run *x) {
  if (emit_log(x) < 0)
    return NULL;
  int kind = x->pending_hook;
  if (kind == HOOK_NONE)
    Py_RETURN_NONE;
  x->pending_hook = HOOK_NONE;
  PyObject *details = details_dict(x, &x->hook_d, kind);
  if (details == NULL)
    return NULL;
  PyObject *pair = PyTuple_Pack(2, x->r->handlers[kind], details);
  Py_DECREF(details);
  return pair;
}

int run_flush(run *x) {
  if (emit_log(x) < 0)
    return -1;
  int kind = x->pending_hook;
  if (kind == HOOK_NONE)
    return 0;
  x->pending_hook = HOOK_NONE;
  PyObject *details = details_dict(x, &x->hook_d, kind);
  if (details == NULL)
    return -1;
  PyObject *handlers = x->r->handlers[kind];
  int rc = 0;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(handlers) && rc == 0; i++) {
    PyObject *res = PyObject_CallOneArg(PyTuple_GET_ITEM(handlers, i), details);
    if (res == NULL)
      rc = -1;
    Py_XDECREF(res);
  }
  Py_DECREF(details);
  return rc;
}

/* ---- ending -------------------------------------------------------------- */

static PyObject *raise_cancelled(run *x) {
  PyObject *message = PyUnicode_FromFormat("%s(...) was cancelled", x->r->label);
  PyObject *exc =
      message == NULL ? NULL : PyObject_CallOneArg(refs.cancelled_type, message);
  Py_XDECREF(message);
  if (exc == NULL)
    return NULL;
  if (x->exc != NULL)
    PyException_SetCause(exc, Py_NewRef(x->exc));
  restore_exception(exc);
  return NULL;
}

PyObject *run_result(run *x, int st) {
  Retrier *r = x->r;
  switch (st) {
  case BACKOFF_OK:
    return Py_NewRef(x->value != NULL ? x->value : Py_None);
  case BACKOFF_PASSED_THROUGH:
    restore_exception(Py_NewRef(x->exc));
    return NULL;
  case BACKOFF_CANCELLED:
    return raise_cancelled(x);
  default: /* gave up */
    if (r->mode == MODE_PREDICATE)
      return Py_NewRef(x->value != NULL ? x->value : Py_None);
    /* The reference always raises when the wait generator runs out. */
    if (x->exc != NULL &&
        (r->raise_on_giveup || st == BACKOFF_GAVE_UP_EXHAUSTED)) {
      restore_exception(Py_NewRef(x->exc));
      return NULL;
    }
    Py_RETURN_NONE;
  }
}

/* ---- sleeping between attempts (sync) ------------------------------------ */

int run_sleep(run *x, double wait) {
  PyObject *patched = clock_patched_sleep();
  PyObject *res;
  if (patched != NULL) {
    PyObject *w = PyFloat_FromDouble(wait);
    res = w == NULL ? NULL : PyObject_CallOneArg(patched, w);
    Py_XDECREF(w);
  } else if (PyErr_Occurred()) {
    res = NULL;
  } else if (!(wait > 0.0)) {
    return 0; /* nothing to wait for: no system call */
  } else {
    PyObject *w = PyFloat_FromDouble(wait);
    if (w == NULL)
      res = NULL;
    else if (x->r->cancel_event != NULL) /* woken by the token */
      res = PyObject_CallMethodOneArg(x->r->cancel_event, refs.str_wait, w);
    else
      res = PyObject_CallOneArg(clock_original_sleep(), w);
    Py_XDECREF(w);
  }
  if (res != NULL) {
    Py_DECREF(res);
    return 0;
  }
  /* Interrupted (KeyboardInterrupt, a test's sleep that raised): the run is
   * cancelled, so on_giveup and the log see its end; the interruption is
   * what the caller gets. */
  PyObject *interruption = fetch_exception();
  if (run_cancel(x) >= 0 && run_flush(x) < 0)
    chain_context(interruption);
  if (PyErr_Occurred()) {
    Py_DECREF(interruption);
    return -1;
  }
  restore_exception(interruption);
  return -1;
}
