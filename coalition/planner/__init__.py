"""The time-zone planner: find a meeting time that suits participants across capitals."""
