"""What other scripts read from a lesson's code cells: its claims' texts and its comments.

`claim_messages` lists each `claim(...)` message as written (INSTRUCTORS.md);
`claim_templates` gives every text a claim can show, message or likely cause, as a template
whose `{fields}` stand for what the code fills in at run time (the Korean edition translates
them); `comment_blocks` and `with_comments` find and replace the comments of a code cell
without touching its code.
"""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize

import nbformat


def python_of(cell_source: str) -> str:
    """A code cell as plain Python: an IPython magic line becomes `pass`, keeping its indent."""
    return "\n".join(
        line[: len(line) - len(line.lstrip())] + "pass"
        if line.lstrip().startswith(("%", "!")) else line
        for line in cell_source.splitlines()
    )


def message_text(node: ast.expr) -> str:
    """The text of a claim's message: a string, or an f-string with its `{fields}` as written."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{" + ast.unparse(part.value) + "}"
            for part in node.values
        )
    return "{" + ast.unparse(node) + "}"


def _trees(notebook: nbformat.NotebookNode) -> list[ast.Module]:
    return [ast.parse(python_of(cell.source)) for cell in notebook.cells
            if cell.cell_type == "code"]


def claim_calls(notebook: nbformat.NotebookNode) -> list[ast.Call]:
    """Every `claim(...)` call of the notebook's code cells, in order."""
    return [node for tree in _trees(notebook) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "claim"]


def _argument(call: ast.Call, position: int, name: str) -> ast.expr:
    if len(call.args) > position:
        return call.args[position]
    return next(keyword.value for keyword in call.keywords if keyword.arg == name)


def claim_messages(notebook: nbformat.NotebookNode) -> list[str]:
    """Each claim's message as written, on one line, in order."""
    return [" ".join(message_text(_argument(call, 1, "message")).split())
            for call in claim_calls(notebook)]


def claim_templates(notebook: nbformat.NotebookNode) -> list[str]:
    """Every text a claim of the notebook can show (messages and likely causes), unique, in
    order: a variable is followed to the strings assigned to it, `a + b` and `a if c else b`
    to each combination, and an f-string's fields stay `{expression}`."""
    assigned: dict[str, list[ast.expr]] = {}
    for tree in _trees(notebook):
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)):
                assigned.setdefault(node.targets[0].id, []).append(node.value)
    found: dict[str, None] = {}
    for call in claim_calls(notebook):
        for node in (_argument(call, 1, "message"), _argument(call, 2, "likely_cause")):
            found.update(dict.fromkeys(_templates(node, assigned, ())))
    return list(found)


def _templates(node: ast.expr, assigned: dict, following: tuple) -> list[str]:
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return [message_text(node)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [left + right for left, right in itertools.product(
            _templates(node.left, assigned, following),
            _templates(node.right, assigned, following))]
    if isinstance(node, ast.IfExp):
        return (_templates(node.body, assigned, following)
                + _templates(node.orelse, assigned, following))
    if isinstance(node, ast.Name) and node.id in assigned and node.id not in following:
        return [text for value in assigned[node.id]
                for text in _templates(value, assigned, following + (node.id,))]
    raise ValueError(f"a claim's text must be built from strings, f-strings, `+`, `if`/`else` "
                     f"and variables assigned those. Received: {ast.unparse(node)}")


# --- comments --------------------------------------------------------------------------------

def _is_prose(text: str) -> bool:
    """A comment worth translating: words, and not a tool's pragma (noqa, type: ignore, nbval's
    NBVAL_CHECK_OUTPUT)."""
    return (re.search(r"[A-Za-z]{2,}", text) is not None
            and not re.match(r"(noqa|type:|fmt:|pragma|NBVAL_)", text))


def comment_blocks(source: str) -> list[tuple[list[int], int, str]]:
    """The prose comments of `source`: (line numbers from 0, column, text without `# `).

    Comments alone on consecutive lines at one column form one block (their lines joined by
    newlines); a comment after code is a block of its own.
    """
    lines = source.splitlines()
    found: list[tuple[list[int], int, str]] = []
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for token in (token for token in tokens if token.type == tokenize.COMMENT):
        row, column = token.start[0] - 1, token.start[1]
        text = token.string[1:].removeprefix(" ")
        alone = not lines[row][:column].strip()
        if (alone and found and found[-1][0][-1] == row - 1 and found[-1][1] == column
                and not lines[row - 1][:column].strip() and _is_prose(found[-1][2])):
            rows, _, previous = found[-1]
            found[-1] = (rows + [row], column, previous + "\n" + text)
        else:
            found.append(([row], column, text))
    return [block for block in found if _is_prose(block[2])]


def with_comments(source: str, translate) -> str:
    """`source` with each comment block's text replaced by `translate(text)`; a block alone
    on its lines may grow or shrink, a comment after code must stay one line."""
    lines = source.splitlines()
    for rows, column, text in reversed(comment_blocks(source)):
        new = translate(text).splitlines()
        code = lines[rows[0]][:column]
        if len(rows) == 1 and code.strip():
            if len(new) != 1:
                raise ValueError(f"the comment after code must stay one line: {text!r}")
            lines[rows[0]] = f"{code}# {new[0]}"
            continue
        lines[rows[0]: rows[-1] + 1] = [f"{code}# {line}".rstrip() for line in new]
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


def code_only(source: str) -> list[tuple[int, str]]:
    """The tokens of `source` that are code (no comments, no blank-line tokens)."""
    skip = {tokenize.COMMENT, tokenize.NL}
    return [(token.type, token.string) for token in
            tokenize.generate_tokens(io.StringIO(source).readline) if token.type not in skip]
