"""The ``keel`` command: up, api, worker, migrate, tenant create."""

from __future__ import annotations

import argparse
import json
import secrets
import sys

from keel.logs import configure_logging
from keel.settings import Settings, load_settings


def _cmd_up(settings: Settings, _args: argparse.Namespace) -> int:
    from cli.stack import up

    return up(settings)


def _cmd_api(settings: Settings, _args: argparse.Namespace) -> int:
    from api.app import serve

    serve(settings)
    return 0


def _cmd_worker(settings: Settings, _args: argparse.Namespace) -> int:
    from workers.main import main

    main(settings)
    return 0


def _cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from db.migrate import upgrade

    upgrade(settings.require_admin_url(), settings.database_app_role)
    print("database migrated to head")
    return 0


def _cmd_tenant_create(settings: Settings, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from db.session import make_engine, system_session
    from domain.errors import DomainError
    from domain.identity import service as identity
    from domain.identity.schemas import TenantIn

    password = args.password or secrets.token_urlsafe(12)
    try:
        data = TenantIn(name=args.name, domain=args.domain)
    except ValidationError as exc:
        print(f"error: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    engine = make_engine(settings.require_admin_url(), pool_size=1)
    try:
        with system_session(engine) as session:
            created = identity.create_tenant(
                session, data, admin_email=args.admin_email, admin_password=password
            )
    except DomainError as exc:
        print(
            f"error: {exc.message} {json.dumps(exc.details) if exc.details else ''}".rstrip(), file=sys.stderr
        )
        return 1
    except ValidationError as exc:
        for err in exc.errors():
            print(f"error: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if not args.password:
        print(f"admin password (shown once): {password}", file=sys.stderr)
    print(
        json.dumps(
            {
                "tenant_id": str(created.tenant_id),
                "api_key": created.api_key,
                "admin_email": created.admin_email,
            }
        )
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    from cli.clients import add_commands as add_client_commands
    from cli.decisions import add_commands as add_decision_commands
    from cli.definitions import add_commands as add_definition_commands
    from cli.imports import add_command as add_import_command
    from cli.search import add_commands as add_search_commands
    from cli.secrets import add_commands as add_secrets_commands

    parser = argparse.ArgumentParser(prog="keel", description="Keel business-process platform")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "up", help="start the whole stack in the foreground (embedded services by default)"
    ).set_defaults(func=_cmd_up)
    sub.add_parser("api", help="serve the REST API").set_defaults(func=_cmd_api)
    sub.add_parser("worker", help="run the Temporal worker").set_defaults(func=_cmd_worker)
    sub.add_parser("migrate", help="migrate the database to the latest schema").set_defaults(
        func=_cmd_migrate
    )
    tenant = sub.add_parser("tenant", help="manage tenants").add_subparsers(
        dest="tenant_command", required=True
    )
    create = tenant.add_parser("create", help="create a tenant with an admin user and an API key")
    create.add_argument("name")
    create.add_argument("--domain", required=True)
    create.add_argument("--admin-email", required=True)
    create.add_argument("--password", help="the admin's password (generated and printed if omitted)")
    create.set_defaults(func=_cmd_tenant_create)
    add_definition_commands(sub)
    add_decision_commands(sub)
    add_import_command(sub)
    add_search_commands(sub)
    add_secrets_commands(sub)
    add_client_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    configure_logging(settings)
    try:
        code: int = args.func(settings, args)
    except RuntimeError as exc:  # missing configuration: say what to do, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
