"""core.pause: sleeps for max_pause seconds, or a random time up to it.

Placeholder for Squall's python-script runner, which is not implemented yet.
"""
import random as _random
import time

try:
    from st2common.runners.base_action import Action
except ImportError:  # Squall runs actions without StackStorm's libraries.
    Action = object


class PauseAction(Action):
    def run(self, max_pause, random=False):
        seconds = _random.randint(0, max_pause) if random else max_pause
        time.sleep(seconds)
        return seconds
