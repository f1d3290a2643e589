# Preamble of the Start-menu launcher (nhandao.launch.py) that pynsist writes: it is inserted
# before pynsist's own `if __name__ == '__main__': main()`, which is never reached. It runs
# the program as the console script does, and when the program stops with an error (no
# store yet, a crash), it waits for Enter: the console that the shortcut opened would
# otherwise close before the message can be read. pynsist's excepthook also writes a crash's
# traceback to %APPDATA%\nhandao.launch.py.log.
import contextlib
import sys

if __name__ == "__main__":
    try:
        from tui.cli import main as _nhandao_main

        _code = _nhandao_main()
    except SystemExit as _exit:
        _code = _exit.code
    except Exception:
        sys.excepthook(*sys.exc_info())
        _code = 1
    if _code not in (0, None):
        with contextlib.suppress(EOFError, KeyboardInterrupt):
            input("\nNhấn Enter để đóng cửa sổ này.")
    sys.exit(_code)
