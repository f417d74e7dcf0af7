"""Runs one StackStorm Python action for Squall's python-script runner (spec section 7.5).

Usage: python3 squall_python_action.py ENTRY_POINT < request.json

The request (JSON on stdin) holds the action's `parameters`, the pack's `config`, the `pack` name,
the `log_level`, and `result_file`: where the action's return value goes, as
{"result": <value>, "status": <True, False or None>}. Keeping the result out of stdout means
stdout is exactly what the action printed, streamed as it prints.

Exit codes: 0 the action returned; 1 it raised (the traceback is on stderr) or could not be
loaded; 220 it returned a (status, value) pair whose status is not a boolean, as StackStorm's
wrapper does.
"""
import importlib.util
import inspect
import json
import logging
import os
import sys

INVALID_STATUS_EXIT_CODE = 220


def load_action_class(entry_point):
    """The Action subclass the entry point defines (StackStorm takes the first one it finds)."""
    from st2common.runners.base_action import Action

    action_dir = os.path.dirname(os.path.abspath(entry_point))
    # StackStorm puts the action's directory and the pack's actions/lib on the path, so actions
    # can import their helpers.
    for path in (os.path.join(action_dir, "lib"), action_dir):
        if os.path.isdir(path) and path not in sys.path:
            sys.path.insert(0, path)
    name = os.path.splitext(os.path.basename(entry_point))[0]
    spec = importlib.util.spec_from_file_location(name, entry_point)
    if spec is None or spec.loader is None:
        raise ImportError('Cannot load action file "%s"' % entry_point)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    for _, member in inspect.getmembers(module, inspect.isclass):
        if issubclass(member, Action) and member is not Action and member.__module__ == name:
            return member
    raise ImportError('Failed to find an Action class in "%s"' % entry_point)


def main():
    entry_point = sys.argv[1]
    request = json.load(sys.stdin)
    # The action gets an empty stdin, not the rest of the request.
    sys.stdin = open(os.devnull)
    level = request.get("log_level") or "DEBUG"
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, "INFO" if level == "AUDIT" else level, logging.DEBUG),
        format="%(asctime)s %(levelname)s %(name)s [-] %(message)s",
    )

    from st2common.runners.base_action import ActionService

    action_class = load_action_class(entry_point)
    service = ActionService(pack=request.get("pack"), class_name=action_class.__name__)
    action = action_class(config=request.get("config") or {}, action_service=service)
    value = action.run(**(request.get("parameters") or {}))

    status = None
    if isinstance(value, tuple) and len(value) == 2:
        status, value = value
        if not isinstance(status, bool):
            sys.stderr.write(
                "Status returned from the action run() method must either be True or False, got: %s\n"
                % (status,)
            )
            sys.exit(INVALID_STATUS_EXIT_CODE)
    with open(request["result_file"], "w") as out:
        json.dump({"result": value, "status": status}, out, default=str)


if __name__ == "__main__":
    main()
