"""ludus-client: ludus envs from Python, over the ludus WebSocket protocol (docs/protocol.md).

>>> import ludus_client
>>> env = ludus_client.make("household-v1", url="ws://127.0.0.1:8765", difficulty="easy")
>>> obs, info = env.reset(seed=0, task={"split": "train", "index": 0})
>>> obs, reward, terminated, truncated, info = env.step(obs["actions"][0])
"""

from .client import DEFAULT_URL, Client, make
from .connection import Connection
from .env import Env, EnvGroup, MultiAgentEnv, MultiAgentResult, StepResult
from .errors import ConnectionClosed, LudusError, RequestTimeout
from .seats import Game, Seat, Turn

__all__ = [
    "DEFAULT_URL",
    "Client",
    "Connection",
    "ConnectionClosed",
    "Env",
    "EnvGroup",
    "Game",
    "LudusError",
    "MultiAgentEnv",
    "MultiAgentResult",
    "RequestTimeout",
    "Seat",
    "StepResult",
    "Turn",
    "make",
]
__version__ = "0.1.0"
