/*
 * libbackoff._core: the CPython extension behind the libbackoff package.
 *
 * The core's state machine (backoff_state_*) makes every retry decision;
 * this module only drives it: it runs the attempt, tells the core how the
 * attempt ended (a return code the policy's classifier maps to a verdict),
 * sleeps the wait the core answers, and turns the core's callbacks (hooks,
 * log, custom waits and jitter, limit functions, clock) into calls of the
 * user's Python objects.
 *
 * Callbacks from the core run with the GIL held (every core call is made
 * with it) and never call Python handlers directly: a hook or log call only
 * records itself in the run, and the driver calls the handlers after the
 * core returns. That keeps the reference's order (log line first, then the
 * handlers), lets the async driver await handlers, and means a Python
 * exception never has to cross the core. Callbacks that must call Python
 * (custom wait, jitter, limits, a patched clock) leave a raised exception
 * set on the thread; once one is set they do nothing more, and the driver
 * checks for it after every core call.
 */
#ifndef LIBBACKOFF_PY_EXT_H
#define LIBBACKOFF_PY_EXT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <backoff/backoff.h>

/* Return codes the drivers report to the core; the policy's classifier maps
 * them back to the core's verdicts. */
enum {
  RC_SUCCESS = 0,
  RC_RETRY = 1,
  RC_GIVE_UP = 2,
  RC_PASS_THROUGH = 3,
};

/* What a run retries on. */
enum {
  MODE_EXCEPTION = 0, /* on_exception: an exception of the given types */
  MODE_PREDICATE = 1, /* on_predicate: a return value the predicate likes */
};

enum {
  HOOK_TRY = 0,
  HOOK_BACKOFF = 1,
  HOOK_SUCCESS = 2,
  HOOK_GIVEUP = 3,
  HOOK_KINDS = 4,
  HOOK_NONE = -1,
};

/* ---- module.c: objects the package hands over at import ---------------- */

typedef struct module_refs {
  PyObject *retry_after_type; /* libbackoff.RetryAfter */
  PyObject *cancelled_type;   /* libbackoff.Cancelled */
  PyObject *emit_log;         /* libbackoff._log.emit */
  PyObject *not_;             /* operator.not_, on_predicate's default */
  PyObject *str_retry_after;
  PyObject *str_is_enabled_for;
  PyObject *str_send;
  PyObject *str_wait;
} module_refs;

extern module_refs refs;

/* Raises ValueError (or MemoryError) for a failed core call. */
void raise_status(backoff_status st, const char *what);

/* The UTF-8 text of a str (or the bytes of a bytes object) for a C call, or
 * NULL with ValueError when it holds a NUL byte, which C would read as its
 * end ("tries=2\0tries=3" must not become "tries=2"). `what` names it. */
const char *c_text(PyObject *text, const char *what);

/* The raised exception as one object (with its traceback), and back. */
PyObject *fetch_exception(void);
void restore_exception(PyObject *exc); /* steals exc */

/* ---- clock.c: time.monotonic / time.sleep, patched or not ---------------- */

int clock_init(void);
/* The policy clock: the system's monotonic clock, or the patched
 * time.monotonic when a test replaced it. */
double clock_now(void *data);
/* The time.sleep to call, or NULL when it is the original one. Borrowed. */
PyObject *clock_patched_sleep(void);
PyObject *clock_original_sleep(void);

/* ---- policy.c: Policy, a validated spec ---------------------------------- */

extern PyTypeObject Policy_Type;
/* A new policy configured from spec (NULL spec: the defaults), or NULL with
 * ValueError set. */
backoff_policy *policy_from_spec(PyObject *spec);

/* ---- cancel.c: CancelToken ----------------------------------------------- */

typedef struct {
  PyObject_HEAD
  backoff_cancel *token;
} CancelToken;

extern PyTypeObject CancelToken_Type;

/* ---- budget.c: Budget ------------------------------------------------------ */

typedef struct {
  PyObject_HEAD
  backoff_budget *budget;
} Budget;

extern PyTypeObject Budget_Type;

/* ---- retrier.c: one decorated function's configuration ------------------- */

typedef struct {
  PyObject_HEAD
  backoff_policy *policy;   /* NULL when each run builds its own */
  PyObject *spec;           /* the spec every policy starts from */
  PyObject *wait_spec_fn;   /* () -> wait spec, per run; or NULL */
  PyObject *wait_factory;   /* () -> primed generator; or NULL (built-in) */
  PyObject *jitter;         /* custom jitter; or NULL */
  PyObject *max_tries_fn;   /* or NULL */
  PyObject *max_time_fn;    /* or NULL */
  PyObject *exception;      /* type or tuple (MODE_EXCEPTION) */
  PyObject *giveup;         /* or NULL: never */
  PyObject *predicate;      /* MODE_PREDICATE */
  PyObject *handlers[HOOK_KINDS]; /* tuples */
  PyObject *logger;         /* or NULL: no log */
  PyObject *name;           /* for log lines; None in a retry_context */
  PyObject *cancel;         /* CancelToken or NULL */
  PyObject *cancel_event;   /* threading.Event set with the token, or NULL */
  PyObject *budget;         /* Budget or NULL */
  char *label;              /* the core's label (UTF-8 copy of name) */
  int mode;
  int raise_on_giveup;
  int backoff_level;
  int giveup_level;
} Retrier;

extern PyTypeObject Retrier_Type;

/* The policy for one run: the shared one (borrowed, *owned = NULL), or one
 * built for this run (*owned set, free it). NULL with an exception set. */
backoff_policy *retrier_policy_for_run(Retrier *r, backoff_policy **owned);

/* ---- run.c: one run of the state machine -------------------------------- */

#define RUN_STATE_INLINE 512

typedef struct run {
  Retrier *r;                  /* borrowed */
  backoff_policy *owned_policy;
  backoff_state *s;
  void *heap_mem;              /* state memory when inline is too small */
  PyObject *target;            /* borrowed; NULL in a retry_context */
  PyObject *const *argv;       /* the call's arguments (vectorcall form) */
  size_t nargsf;
  PyObject *kwnames;
  PyObject *args;              /* tuple, made when a handler needs it */
  PyObject *kwargs;            /* dict, likewise */
  PyObject *exc;               /* the last attempt's exception, or NULL */
  PyObject *value;             /* its return value, or NULL */
  PyObject *gen;               /* a custom wait's generator, made lazily */
  int pending_hook;            /* HOOK_NONE or the hook the core ran */
  int pending_log;             /* whether the core logged */
  int log_level;
  backoff_details hook_d;
  backoff_details log_d;
  _Alignas(8) unsigned char mem[RUN_STATE_INLINE];
} run;

/* Starts a run (the core reads the clock and any limit functions). */
int run_start(run *x, Retrier *r, PyObject *target);
void run_release(run *x);
/* Each returns the core's status, or -1 with an exception set. They do not
 * call the handlers: see run_flush / run_take_pending. */
int run_begin(run *x);
int run_next(run *x, int rc, double *wait);
int run_cancel(run *x);
/* Hands the run an exception or a value as the attempt's outcome (steals
 * the reference). */
void run_set_exception(run *x, PyObject *exc);
void run_set_value(run *x, PyObject *value);
/* How the sync driver judges an outcome: RC_*, or -1 with an exception set
 * (a giveup or predicate function raised). */
int run_judge_exception(run *x);
int run_judge_value(run *x);
/* Hands a RetryAfter's hint to the core. -1 on error. */
int run_pass_hint(run *x, PyObject *hint);
/* Emits the pending log line and calls the pending handlers. -1 on error. */
int run_flush(run *x);
/* Emits the pending log line; returns (handlers, details) for the caller to
 * call (and await), or None. */
PyObject *run_take_pending(run *x);
/* What the call returns once the run has ended with status st (new
 * reference), or NULL with the exception to raise set. */
PyObject *run_result(run *x, int st);
/* Sync sleep between attempts. -1 on error (the run is then cancelled). */
int run_sleep(run *x, double wait);

extern PyTypeObject Run_Type;

/* ---- retrying.c: the decorated sync function ---------------------------- */

extern PyTypeObject Retrying_Type;

/* ---- retry_after.c -------------------------------------------------------- */

PyObject *parse_retry_after(PyObject *module, PyObject *const *args,
                            Py_ssize_t nargs);

#endif
