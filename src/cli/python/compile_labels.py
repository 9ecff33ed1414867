"""Labels Python texts with this interpreter's own compile(): the truth the syntax check is measured by.

Reads JSON lines on stdin, each a JSON string (one text). Writes JSON lines on stdout: first
{"python": "3.x.y"}, then one label per text, in order:
  {"ok": true}
  {"ok": false, "line": L, "column": C, "message": M, "error": "SyntaxError"}
compile() runs the grammar and the compile-time rules (targets, `return` outside a function, ...);
the code is never run. Texts are compiled as str, as an editor holds them (a coding cookie is not
applied). Anything else compile() raises (ValueError for a null byte, RecursionError, MemoryError,
a lone surrogate's UnicodeEncodeError) is a refusal too, with line and column null.
"""

import io
import json
import platform
import sys
import warnings


def label(text):
    try:
        compile(text, "<text>", "exec", dont_inherit=True)
    except SyntaxError as error:  # IndentationError and TabError are SyntaxErrors
        return {
            "ok": False,
            "line": error.lineno,
            "column": error.offset,
            "message": error.msg,
            "error": type(error).__name__,
        }
    except (ValueError, RecursionError, MemoryError, UnicodeError, OverflowError) as error:
        return {"ok": False, "line": None, "column": None, "message": str(error), "error": type(error).__name__}
    return {"ok": True}


def main():
    # SyntaxWarnings and DeprecationWarnings (`1if x`, "\d") do not refuse the text.
    warnings.simplefilter("ignore")
    out = sys.stdout
    out.write(json.dumps({"python": platform.python_version()}) + "\n")
    # UTF-8 whatever the locale; lines split at "\n" only (JSON escapes every other line break).
    for line in io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="\n"):
        if line.strip():
            out.write(json.dumps(label(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
