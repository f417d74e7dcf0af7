"""core.uuid: returns a new UUID string (uuid1 or uuid4).

Placeholder for Squall's python-script runner, which is not implemented yet: the class follows
StackStorm's Action interface (a `run` method taking the action parameters) so it can run
unchanged once that runner exists.
"""
import uuid

try:
    from st2common.runners.base_action import Action
except ImportError:  # Squall runs actions without StackStorm's libraries.
    Action = object


class GenerateUUID(Action):
    def run(self, uuid_type="uuid4"):
        makers = {"uuid1": uuid.uuid1, "uuid4": uuid.uuid4}
        if uuid_type not in makers:
            raise ValueError("Unknown uuid_type. Only uuid1 and uuid4 are supported")
        return str(makers[uuid_type]())
