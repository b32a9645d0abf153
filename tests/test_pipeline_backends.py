"""Backends are one Protocol; optional capabilities are Protocols checked with isinstance."""
from assistant.backends import Backend, PreparesPrefix
from assistant.backends.local import LocalLlama
from assistant.backends.openai import OpenAICompatible


class Scripted:
    name, model = "scripted", "scripted-1"

    def stream(self, messages, max_tokens):
        yield "text"


def _bare(cls, **attrs):
    obj = cls.__new__(cls)  # no model loaded, no server contacted
    obj.__dict__.update(attrs)
    return obj


def test_any_object_with_name_model_and_stream_is_a_backend():
    assert isinstance(Scripted(), Backend)
    assert not isinstance(Scripted(), PreparesPrefix)
    assert not isinstance(object(), Backend)


def test_local_model_prepares_its_prefix_and_openai_does_not():
    local = _bare(LocalLlama, model="m")
    remote = _bare(OpenAICompatible, model="m", base_url="http://x")
    assert isinstance(local, Backend) and isinstance(local, PreparesPrefix)
    assert isinstance(remote, Backend) and not isinstance(remote, PreparesPrefix)
