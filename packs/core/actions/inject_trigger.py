"""core.inject_trigger: dispatches a trigger instance with a payload.

Under StackStorm the action's `sensor_service` dispatches the trigger. Squall has no triggers and
rules yet, so its python-script runner provides no such service and this action fails with a
clear message.
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
