"""core.inject_trigger: dispatches a trigger instance with a payload.

Placeholder for Squall's python-script runner, which is not implemented yet. Under StackStorm the
action's `sensor_service` dispatches the trigger; Squall's runner will have to provide an
equivalent service object before this action can work.
"""
try:
    from st2common.runners.base_action import Action
except ImportError:  # Squall runs actions without StackStorm's libraries.
    Action = object


class InjectTriggerAction(Action):
    def run(self, trigger=None, trigger_name=None, payload=None, trace_tag=None):
        name = trigger_name or trigger
        if not name:
            raise ValueError('Either "trigger_name" or "trigger" parameter must be provided')
        service = getattr(self, "sensor_service", None)
        if service is None:
            raise RuntimeError("No trigger dispatch service is available to this action")
        service.dispatch(trigger=name, payload=payload or {}, trace_tag=trace_tag)
        return {"trigger": name, "payload": payload or {}}
