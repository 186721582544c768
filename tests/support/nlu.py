"""A message as the classifier left it, passed through one NLU component."""

from rasa.engine.graph import GraphComponent
from rasa.shared.nlu.training_data.message import Message


def classified_by(
    component: GraphComponent, text: str, intent: str, confidence: float, runner_up: str
) -> Message:
    """``text`` guessed as ``intent`` (``runner_up`` second at 0.1), then ``component``."""
    message = Message(data={"text": text})
    guess = {"name": intent, "confidence": confidence}
    message.set("intent", guess)
    message.set("intent_ranking", [guess, {"name": runner_up, "confidence": 0.1}])
    component.process([message])
    return message
