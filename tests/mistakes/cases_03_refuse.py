"""Lesson 03: wrong answers that AWS refuses, refused by the sandbox in AWS's words.

Before the sandbox refused them, deleting the version an alias points to left the alias
dangling, a layer's ARN without its version reached moto, and a layer built for another
Python's site-packages imported anyway (the kernel's Python was used, not the runtime's).
"""

from mistakes_runner import Mistake, indented
from snippets_03 import LAYER, layer

MISTAKES = {
    "03.3": [
        Mistake(
            "the layer's ARN without its version (LayerArn)",
            solution="\n" + LAYER.replace('["LayerVersionArn"]', '["LayerArn"]'),
            expect=["ValidationException", "at 'layers'", '"LayerVersionArn"'],
        ),
        Mistake(
            "site-packages of another Python than the function's runtime",
            solution=indented(layer("py39-layer", "python/lib/python3.9/site-packages")),
            expect=["cannot import defusedxml", "python/defusedxml"],
        ),
    ],
    "03.4": [
        Mistake(
            "deletes the bad version instead of moving the alias",
            # live as the lesson leaves it (an earlier mistake of the walk moved it)
            solution='lam.update_alias(FunctionName="checkout", Name="live", FunctionVersion="3")\n'
            'lam.delete_function(FunctionName="checkout", Qualifier="3")',
            expect=[
                "ResourceConflictException",
                "aliases reference it: [live]",
                "move the alias first",
            ],
        ),
        Mistake(
            "deletes the alias as if it were a version",
            solution='lam.delete_function(FunctionName="checkout", Qualifier="live")',
            expect=["Deletion of aliases is not currently supported"],
        ),
    ],
}
