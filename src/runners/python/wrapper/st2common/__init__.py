"""What Squall offers actions written for StackStorm under StackStorm's import paths.

Only the parts a Python action uses are here (`st2common.runners.base_action.Action`); it is
Squall's own code, written to StackStorm's documented interface.
"""
