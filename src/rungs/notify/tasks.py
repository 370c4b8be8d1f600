"""Sending a robot message happens in the worker: a slow or unreachable chat server never holds up a step."""

from __future__ import annotations

import time
import urllib.request

from django.tasks import task

from rungs.core.robots import robot_request
from rungs.notify.models import Robot

TIMEOUT = 10  # seconds


def deliver(robot: Robot, text: str) -> int:
    """POSTs `text` to the robot; the HTTP status (an error status or an unreachable server raises)."""
    url, body = robot_request(robot.kind, robot.url, robot.secret, text, time.time())
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (an admin's https URL)
        return int(response.status)


@task()
def send(robot_id: int, text: str) -> int:
    robot = Robot.objects.get(pk=robot_id)
    return deliver(robot, text)
