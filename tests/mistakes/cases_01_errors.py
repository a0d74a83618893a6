"""Lesson 01, round 3 (eval-c): names of the sandbox's functions and of module files
written without quotes; an environment variable passed as a parameter; the kit's own
errors shown as a box; a handler whose parameters are the wrong way round."""

from mistakes_runner import Mistake

_DEPLOY_ENV = 'sb.deploy("greeter-env", "functions/greeter-env", Environment=environment)'

MISTAKES = {
    "01.1": [
        Mistake(
            "c-check-unquoted-name: check('01.1', greeter)",
            replace=(('check("01.1", "greeter")', 'check("01.1", greeter)'),),
            restart=True,  # a new kernel: no variable greeter left by an earlier attempt
            expect=["greeter is the name of a Lambda function in the sandbox", '"greeter"'],
        ),
        Mistake(
            "deploys from a misspelt folder: the kit's DeployError as a box",
            replace=(
                (
                    'sb.deploy("greeter", "functions/greeter")',
                    'sb.deploy("greeter", "functions/greter")',
                ),
            ),
            expect=["Lambda Lab error DeployError", "functions/greter", "in your code: line 1"],
        ),
        Mistake(
            "the deployed handler takes (context, event)",
            replace=(("def handler(event, context):", "def handler(context, event):"),),
            expect=["parameters are (context, event)", "write def handler(event, context)"],
        ),
    ],
    "01.3": [
        Mistake(
            "r3-deploy-kwarg: GREETING='Hej' given to sb.deploy",
            replace=(
                (_DEPLOY_ENV, 'sb.deploy("greeter-env", "functions/greeter-env", GREETING="Hej")'),
            ),
            expect=[
                "GREETING looks like an environment variable",
                'Environment={"Variables": {"GREETING"',
            ],
        ),
        Mistake(
            "environment= in lower case",
            replace=((_DEPLOY_ENV, _DEPLOY_ENV.replace("Environment=", "environment=")),),
            expect=['no parameter "environment"; it has Environment'],
        ),
        Mistake(
            "two variables as keywords of sb.deploy",
            replace=(
                (
                    _DEPLOY_ENV,
                    _DEPLOY_ENV.replace("Environment=environment", 'GREETING="Hej", STAGE="dev"'),
                ),
            ),
            expect=["looks like an environment variable", "inside Environment"],
        ),
        Mistake(
            "check('01.3', greeter_env): the name unquoted, with an underscore",
            replace=(('check("01.3", "greeter-env")', 'check("01.3", greeter_env)'),),
            expect=["greeter_env is the name of a Lambda function", '"greeter-env"'],
        ),
    ],
    "01.4": [
        Mistake(
            "r3-unquoted: handler_string = orders.create_order",
            solution="handler_string = orders.create_order",
            expect=[
                "orders is a module file (functions/shop/orders.py)",
                '"orders.create_order"',
            ],
        ),
        Mistake(
            "the module name alone, unquoted",
            solution="handler_string = orders",
            # a module file, or the function orders when a cell deployed it: both to quote
            expect=["not a Python name", 'write it in quotes: "orders"'],
        ),
    ],
}
