#!/usr/bin/env python3
"""Writes the two modules StackStorm's st2client imports that Debian 12 does not package
(orjson, sseclient) into a folder for PYTHONPATH -- only when the real module cannot be imported.
Usage: python3 scripts/st2client-standins.py OUT_DIR   (see shared spec st2-cli-requests.md §6)
These stand-ins are our own small code; st2client itself is never committed."""
import importlib.util
import os
import sys

ORJSON = '''"""Stand-in for orjson on top of json: st2client only calls loads() and dumps()."""
import json

OPT_INDENT_2 = 1
OPT_SORT_KEYS = 2
OPT_NON_STR_KEYS = 4
JSONDecodeError = json.JSONDecodeError


def loads(data):
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data).decode("utf-8")
    return json.loads(data)


def dumps(obj, default=None, option=0):
    indent = 2 if option & OPT_INDENT_2 else None
    separators = None if indent else (",", ":")
    text = json.dumps(obj, default=default, indent=indent, sort_keys=bool(option & OPT_SORT_KEYS),
                      separators=separators)
    return text.encode("utf-8")
'''

SSECLIENT = '''"""Stand-in for sseclient-py: parses a requests-style byte stream into events."""


class Event(object):
    def __init__(self, data="", event="message", id=None, retry=None):
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def __repr__(self):
        return "Event(event=%r, data=%r)" % (self.event, self.data)


class SSEClient(object):
    def __init__(self, event_source, char_enc="utf-8"):
        self._source = event_source
        self._char_enc = char_enc

    def _chunks(self):
        source = self._source
        if hasattr(source, "iter_content"):
            return source.iter_content(chunk_size=None)
        return source

    def events(self):
        buffer = ""
        for chunk in self._chunks():
            if isinstance(chunk, bytes):
                chunk = chunk.decode(self._char_enc)
            buffer += chunk.replace("\\r\\n", "\\n").replace("\\r", "\\n")
            while "\\n\\n" in buffer:
                block, buffer = buffer.split("\\n\\n", 1)
                event = Event()
                data_lines = []
                for line in block.split("\\n"):
                    if not line or line.startswith(":"):
                        continue
                    name, _, value = line.partition(":")
                    if value.startswith(" "):
                        value = value[1:]
                    if name == "data":
                        data_lines.append(value)
                    elif name == "event":
                        event.event = value
                    elif name == "id":
                        event.id = value
                    elif name == "retry":
                        event.retry = value
                if not data_lines and event.event == "message":
                    continue
                event.data = "\\n".join(data_lines)
                yield event

    def close(self):
        if hasattr(self._source, "close"):
            self._source.close()
'''


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: st2client-standins.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in (("orjson", ORJSON), ("sseclient", SSECLIENT)):
        path = os.path.join(out, name + ".py")
        if importlib.util.find_spec(name) is not None and not os.path.exists(path):
            continue
        with open(path, "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
