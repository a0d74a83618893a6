"""The course around the sandbox: what the lessons need besides the offline AWS.

- :mod:`.checks`: ``check("04.2", answer)``, one module of checks per lesson;
- :mod:`.exercises`: the catalogue of exercises the checks register in (``@exercise``);
- :mod:`.probe`: the probing checks share: call the learner's code, find, invoke and
  trigger a deployed function, wait for it, describe a failure with its own error;
- :mod:`.progress`: every check recorded, shown by ``lambdalab.progress()``;
- :mod:`.release`: the student notebooks made from solutions/, and the student kit;
- :mod:`.selfcheck`: the student kit's ``make check``;
- :mod:`.setup_check`: is this kernel the course's (``lambdalab.check_environment()``);
- :mod:`.aws_errors`: an AWS error shown in a notebook as one block, with a hint.

The course imports the sandbox (``lambdalab.sandbox``) and the learner's tools
(``lambdalab.pricing``, ``lambdalab.calculator``), never the grader.
"""
