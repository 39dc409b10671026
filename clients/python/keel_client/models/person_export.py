from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.person_export_audit_item import PersonExportAuditItem
    from ..models.person_export_bookings_item import PersonExportBookingsItem
    from ..models.person_export_customers_item import PersonExportCustomersItem
    from ..models.person_export_deliveries_item import PersonExportDeliveriesItem
    from ..models.person_export_delivery_messages_item import (
        PersonExportDeliveryMessagesItem,
    )
    from ..models.person_export_entities_item import PersonExportEntitiesItem
    from ..models.person_export_notifications_item import PersonExportNotificationsItem
    from ..models.person_export_tasks_item import PersonExportTasksItem
    from ..models.person_export_user_type_0 import PersonExportUserType0


T = TypeVar("T", bound="PersonExport")


@_attrs_define
class PersonExport:
    """Each list holds the rows as stored (secrets left out).

    Attributes:
        email (str):
        user (None | PersonExportUserType0):
        tasks (list[PersonExportTasksItem]):
        notifications (list[PersonExportNotificationsItem]):
        deliveries (list[PersonExportDeliveriesItem]):
        delivery_messages (list[PersonExportDeliveryMessagesItem]):
        bookings (list[PersonExportBookingsItem]):
        entities (list[PersonExportEntitiesItem]):
        customers (list[PersonExportCustomersItem]):
        audit (list[PersonExportAuditItem]):
    """

    email: str
    user: None | PersonExportUserType0
    tasks: list[PersonExportTasksItem]
    notifications: list[PersonExportNotificationsItem]
    deliveries: list[PersonExportDeliveriesItem]
    delivery_messages: list[PersonExportDeliveryMessagesItem]
    bookings: list[PersonExportBookingsItem]
    entities: list[PersonExportEntitiesItem]
    customers: list[PersonExportCustomersItem]
    audit: list[PersonExportAuditItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.person_export_user_type_0 import PersonExportUserType0

        email = self.email

        user: dict[str, Any] | None
        if isinstance(self.user, PersonExportUserType0):
            user = self.user.to_dict()
        else:
            user = self.user

        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)

        notifications = []
        for notifications_item_data in self.notifications:
            notifications_item = notifications_item_data.to_dict()
            notifications.append(notifications_item)

        deliveries = []
        for deliveries_item_data in self.deliveries:
            deliveries_item = deliveries_item_data.to_dict()
            deliveries.append(deliveries_item)

        delivery_messages = []
        for delivery_messages_item_data in self.delivery_messages:
            delivery_messages_item = delivery_messages_item_data.to_dict()
            delivery_messages.append(delivery_messages_item)

        bookings = []
        for bookings_item_data in self.bookings:
            bookings_item = bookings_item_data.to_dict()
            bookings.append(bookings_item)

        entities = []
        for entities_item_data in self.entities:
            entities_item = entities_item_data.to_dict()
            entities.append(entities_item)

        customers = []
        for customers_item_data in self.customers:
            customers_item = customers_item_data.to_dict()
            customers.append(customers_item)

        audit = []
        for audit_item_data in self.audit:
            audit_item = audit_item_data.to_dict()
            audit.append(audit_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "email": email,
                "user": user,
                "tasks": tasks,
                "notifications": notifications,
                "deliveries": deliveries,
                "delivery_messages": delivery_messages,
                "bookings": bookings,
                "entities": entities,
                "customers": customers,
                "audit": audit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_export_audit_item import PersonExportAuditItem
        from ..models.person_export_bookings_item import PersonExportBookingsItem
        from ..models.person_export_customers_item import PersonExportCustomersItem
        from ..models.person_export_deliveries_item import PersonExportDeliveriesItem
        from ..models.person_export_delivery_messages_item import (
            PersonExportDeliveryMessagesItem,
        )
        from ..models.person_export_entities_item import PersonExportEntitiesItem
        from ..models.person_export_notifications_item import (
            PersonExportNotificationsItem,
        )
        from ..models.person_export_tasks_item import PersonExportTasksItem
        from ..models.person_export_user_type_0 import PersonExportUserType0

        d = dict(src_dict)
        email = d.pop("email")

        def _parse_user(data: object) -> None | PersonExportUserType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_0 = PersonExportUserType0.from_dict(data)

                return user_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PersonExportUserType0, data)

        user = _parse_user(d.pop("user"))

        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in _tasks:
            tasks_item = PersonExportTasksItem.from_dict(tasks_item_data)

            tasks.append(tasks_item)

        notifications = []
        _notifications = d.pop("notifications")
        for notifications_item_data in _notifications:
            notifications_item = PersonExportNotificationsItem.from_dict(
                notifications_item_data
            )

            notifications.append(notifications_item)

        deliveries = []
        _deliveries = d.pop("deliveries")
        for deliveries_item_data in _deliveries:
            deliveries_item = PersonExportDeliveriesItem.from_dict(deliveries_item_data)

            deliveries.append(deliveries_item)

        delivery_messages = []
        _delivery_messages = d.pop("delivery_messages")
        for delivery_messages_item_data in _delivery_messages:
            delivery_messages_item = PersonExportDeliveryMessagesItem.from_dict(
                delivery_messages_item_data
            )

            delivery_messages.append(delivery_messages_item)

        bookings = []
        _bookings = d.pop("bookings")
        for bookings_item_data in _bookings:
            bookings_item = PersonExportBookingsItem.from_dict(bookings_item_data)

            bookings.append(bookings_item)

        entities = []
        _entities = d.pop("entities")
        for entities_item_data in _entities:
            entities_item = PersonExportEntitiesItem.from_dict(entities_item_data)

            entities.append(entities_item)

        customers = []
        _customers = d.pop("customers")
        for customers_item_data in _customers:
            customers_item = PersonExportCustomersItem.from_dict(customers_item_data)

            customers.append(customers_item)

        audit = []
        _audit = d.pop("audit")
        for audit_item_data in _audit:
            audit_item = PersonExportAuditItem.from_dict(audit_item_data)

            audit.append(audit_item)

        person_export = cls(
            email=email,
            user=user,
            tasks=tasks,
            notifications=notifications,
            deliveries=deliveries,
            delivery_messages=delivery_messages,
            bookings=bookings,
            entities=entities,
            customers=customers,
            audit=audit,
        )

        person_export.additional_properties = d
        return person_export

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
