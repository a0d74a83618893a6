"""The instructors' grader: ``python -m lambdalab.grading SUBMISSIONS... --out grades.csv``.

How a submission is graded, and why the student's code cannot change its grade
------------------------------------------------------------------------------
A submission is the notebook a student downloaded from Binder or JupyterHub. The grader
never runs it as it is. It builds a *graded run* from the lesson's reference notebook,
``solutions/NN-name.ipynb`` (``lambdalab.grading.reference``):

- the reference's own cells, with the student's **exercise cells** (those holding a
  ``### BEGIN SOLUTION`` block in the reference) put in place of the solution blocks.
  Cells are matched by their id (``cell-NN``, given by ``lambdalab.course.release``), or, when
  ids were lost, as the most stub-like code cell next to the exercise's check cell.
  Whatever the student did to other cells (asserts deleted, ``check`` redefined, a check
  cell replaced by a printed "passed", cells added) is not run;
- each check cell, ``check("04.2", answer)``, becomes a capture: the kernel keeps the
  answer object as it was at that point of the notebook.

Each submission runs in a fresh kernel (``lambdalab.grading.kernel``), in a bubblewrap
sandbox (``lambdalab.grading.isolation``): it sees read-only only the kit, Python and the
lesson's assets, writes only its own scratch folder, has its own PID namespace, an
allow-listed environment without AWS credentials, limits on memory, processes and file
size, and dies whole with its submission; so the lesson's ``lambdalab.sandbox()`` is its
own. Each cell has a time limit, the submission another, and each cell an output budget.

The **hidden tests** (``tests/grading/lessonNN.py``, see ``lambdalab.grading.rubric``)
run in the grader's process, never in the kernel. Right after a capture, the grader gives
the exercise's test a stand-in for the answer (``lambdalab.grading.answers``): a copy of
the answer when it is data, or a function that calls the student's function in the
kernel with literal arguments and returns its result. Only data crosses from the kernel:
JSON holding Python literals, decoded by the grader's own ``json`` and
``ast.literal_eval`` (which builds values, never runs code); the test compares plain data
with plain data. So patching ``json`` or builtins in the kernel, returning an object
whose ``__eq__`` always says yes, or replacing the grader's helper in the kernel (its name
carries a random nonce) can only change what the student's answer returns: which is what
solving the exercise means. Checks of exercises that deploy functions reach the
submission's sandbox with boto3 on 127.0.0.1 (``lambdalab.grading.remote``). The tests'
code, the solutions and the expected values never enter the kernel; the feedback gives
the tests' messages, never their code.

Exercises are graded one at a time, as the run reaches them, so a later crash costs
nothing already earned. A kernel that dies or hangs is replaced: the cells before the
failure are run again (exercise cells as their stubs, which keep a lesson runnable) and
the run goes on with the next cell.

The batch reads the references and hidden tests once, before any student code runs, and
talks to each grading process over pipes only; it keeps only the grade's fields of each
result (``lambdalab.grading.batch``). What isolation promises, and what it does not, is
in docs/grading.md.

Modules: ``submissions`` (finding notebooks, naming students and lessons), ``reference``
(the transplant), ``isolation`` (the sandbox), ``kernel`` (running cells with limits),
``answers`` (the stand-ins), ``rubric`` (writing hidden tests), ``grader`` (one
submission), ``batch`` (many, in parallel, resumable; grades.csv and feedback files).
"""

from __future__ import annotations

from lambdalab.grading.rubric import Rubric, hidden_test

__all__ = ["Rubric", "hidden_test"]
