"""The front end: Python source of ``@proc``/``@instr`` functions -> typed IR.

- `source`: the function's text and its position in the user's file.
- `scope`: object-code names (`Sym`s, block scoped) and the defining Python scope.
- `parse_expr`, `parser`: Python `ast` -> untyped IR (syntax and names checked).
- `check_expr`, `typecheck`: types on every expression; control/data separation,
  quasi-affine indexing, call argument checks.
- `affine`: constant values and linear forms of control expressions.
- `quote`: metaprogramming (``with python:`` / ``with exo:``, quotes and unquotes).
- `config_loops`: a loop may not write a configuration field with an
  iteration-dependent value (checked on the typed procedure).

`exo_core.api` runs the pipeline.
"""
