"""A message as the classifier left it, passed through one NLU component."""

from rasa.shared.nlu.training_data.message import Message


def classified_by(component, text, intent, confidence, runner_up):
    """``text`` guessed as ``intent`` (``runner_up`` second at 0.1), then ``component``."""
    message = Message(data={"text": text})
    guess = {"name": intent, "confidence": confidence}
    message.set("intent", guess)
    message.set("intent_ranking", [guess, {"name": runner_up, "confidence": 0.1}])
    component.process([message])
    return message
