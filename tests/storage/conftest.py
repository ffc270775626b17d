from __future__ import annotations

import pytest

from tests.storage.s3server import s3_server


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory):
    """A moto S3 server with the bucket `newsetl`; its AWS_* settings are in this process's environment
    (so child CLI processes inherit them) for the session."""
    with s3_server(tmp_path_factory.mktemp("moto")) as env, pytest.MonkeyPatch.context() as environment:
        for key, value in env.items():
            environment.setenv(key, value)
        yield env
