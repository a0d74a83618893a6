"""Lesson 06, round 3 (eval-d): an import after its use, an import under the main guard,
and a parameter of another operation (reserved concurrency is a call of its own)."""

from mistakes_runner import Mistake

_APP = """%%writefile functions/report-export/app.py
{top}

def handler(event, context):
    if event.get("action") == "export":  # rare: a few times a day
{body}
    return {{"status": "ok"}}  # common: many times a minute
"""

MISTAKES = {
    "06.1": [
        Mistake(
            "r-import-after-use: reports used, then imported",
            cell=_APP.format(
                top="",
                body='        result = reports.export(event["rows"])\n        import reports\n'
                "        return result",
            ),
            expect=["imports reports on line", "before the line that uses it"],
        ),
        Mistake(
            "from reports import export, after its use",
            cell=_APP.format(
                top="",
                body='        result = export(event["rows"])\n        from reports import export\n'
                "        return result",
            ),
            expect=["imports export on line", "before the line that uses it"],
        ),
        Mistake(
            "imported as rep, after rep is used",
            cell=_APP.format(
                top="",
                body='        rows = rep.export(event["rows"])\n        import reports as rep\n'
                "        return rows",
            ),
            expect=["imports rep on line", "before the line that uses it"],
        ),
        Mistake(
            "r-main-guard: the import under if __name__ == '__main__'",
            cell=_APP.format(
                top='if __name__ == "__main__":\n    import reports\n',
                body='        return reports.export(event["rows"])',
            ),
            expect=['under `if __name__ == "__main__":`', "does not run on Lambda"],
        ),
    ],
    "06.4": [
        Mistake(
            "r-update-config: ReservedConcurrentExecutions in the configuration",
            solution=(
                'lam.update_function_configuration(FunctionName="noisy", '
                "ReservedConcurrentExecutions=2)"
            ),
            expect=["is a parameter of put_function_concurrency", "lam.put_function_concurrency("],
        ),
        Mistake(
            "reserved concurrency asked of the provisioned-concurrency call",
            solution=(
                'lam.put_provisioned_concurrency_config(FunctionName="noisy", Qualifier="1", '
                "ProvisionedConcurrentExecutions=2, ReservedConcurrentExecutions=2)"
            ),
            expect=["is a parameter of put_function_concurrency"],
        ),
        Mistake(
            "ReservedConcurrency: a shortened name",
            solution='lam.put_function_concurrency(FunctionName="noisy", ReservedConcurrency=2)',
            expect=['no parameter "ReservedConcurrency"; it has ReservedConcurrentExecutions'],
        ),
    ],
}
