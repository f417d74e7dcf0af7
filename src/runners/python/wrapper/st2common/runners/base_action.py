"""The base class of Python actions, with StackStorm's interface.

An action subclasses `Action` and implements `run(**parameters)`. It gets `self.config` (the
pack's configuration), `self.logger`, and `self.action_service`, whose datastore methods reach
Squall's `/keys` API through ST2_ACTION_API_URL with the credentials in the environment
(ST2_ACTION_AUTH_TOKEN, else ST2_API_KEY).
"""
import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Action", "ActionService"]


class Action(object):
    def __init__(self, config=None, action_service=None):
        self.config = config or {}
        self.action_service = action_service
        self.logger = logging.getLogger("actions.python.%s" % type(self).__name__)

    def run(self, **kwargs):
        raise NotImplementedError()


class KeyValuePair(object):
    """One datastore item as `list_values` returns them (attributes, as in StackStorm)."""

    def __init__(self, doc):
        self.__dict__.update(doc)

    def __repr__(self):
        return "<KeyValuePair name=%s,value=%s>" % (self.name, self.value)


class ActionService(object):
    """The datastore, as StackStorm's action service offers it. Local names are prefixed with
    "<pack>.<action class>:" so that each action keeps its own items."""

    def __init__(self, pack, class_name):
        self._prefix = "%s.%s:" % (pack, class_name)
        self._api_url = (os.environ.get("ST2_ACTION_API_URL") or "http://127.0.0.1:9101/api/v1").rstrip("/")

    def _name(self, name, local):
        return self._prefix + name if local else name

    def _request(self, method, path, query=None, body=None):
        url = self._api_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"Content-Type": "application/json"}
        if os.environ.get("ST2_ACTION_AUTH_TOKEN"):
            headers["X-Auth-Token"] = os.environ["ST2_ACTION_AUTH_TOKEN"]
        elif os.environ.get("ST2_API_KEY"):
            headers["St2-Api-Key"] = os.environ["ST2_API_KEY"]
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text else None

    def list_values(self, local=True, prefix=None):
        query = {"scope": "system"}
        full_prefix = self._name(prefix or "", local)
        if full_prefix:
            query["prefix"] = full_prefix
        return [KeyValuePair(doc) for doc in self._request("GET", "/keys", query)]

    def get_value(self, name, local=True, scope="system", decrypt=False):
        path = "/keys/" + urllib.parse.quote(self._name(name, local), safe="")
        try:
            doc = self._request("GET", path, {"scope": scope, "decrypt": str(bool(decrypt)).lower()})
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise
        return doc.get("value")

    def set_value(self, name, value, ttl=None, local=True, scope="system", encrypt=False):
        full = self._name(name, local)
        body = {"name": full, "value": value, "scope": scope, "secret": bool(encrypt)}
        if ttl:
            body["ttl"] = ttl
        self._request("PUT", "/keys/" + urllib.parse.quote(full, safe=""), body=body)
        return True

    def delete_value(self, name, local=True, scope="system"):
        path = "/keys/" + urllib.parse.quote(self._name(name, local), safe="")
        try:
            self._request("DELETE", path, {"scope": scope})
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return False
            raise
        return True
