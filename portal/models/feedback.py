"""A feedback record: a compliment, an initial contact or a complaint."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class Feedback(db.Model):
    __tablename__ = "feedback"
    __table_args__ = (
        # The inbox as a team manager or an assignee sees it, or filtered by team, newest
        # first without a sort step (migration 0008).
        Index("ix_feedback_team_id_received_on", "team_id", "received_on", "id"),
        Index("ix_feedback_assigned_to_id_received_on", "assigned_to_id", "received_on", "id"),
        # The report counts each kind received in a period; the inbox filters by kind
        # (migration 0009); themes over time counts them by theme and reads an even share
        # of them by number, from the index alone (migration 0029).
        Index("ix_feedback_kind_received_on_theme", "kind", "received_on", "theme_id", "id"),
        # Partial indexes hold only the few rows their queries look for, so that an import
        # of closed records does not pay for them (migration 0010 says which queries each
        # serves). The safeguarding condition is spelled as SQLAlchemy renders
        # ``safeguarding_concern.is_(True)`` on each database, so that the planners match
        # it to the queries' own condition.
        Index("ix_feedback_safeguarding_actioned_at", "safeguarding_actioned_at",
              postgresql_where=text("safeguarding_concern IS TRUE"),
              sqlite_where=text("safeguarding_concern IS 1")),
        Index("ix_feedback_safeguarding_received_on", "received_on", "id",
              postgresql_where=text("safeguarding_concern IS TRUE"),
              sqlite_where=text("safeguarding_concern IS 1")),
        # The report's examples of compliments: the few whose sender agreed to share them
        # and whose wording staff cleared, oldest first (migration 0029), where the report
        # of a year read every compliment of it to find five.
        Index("ix_feedback_shareable", "kind", "received_on", "id",
              postgresql_where=text("publish_consent IS TRUE AND anonymised_text IS NOT NULL"),
              sqlite_where=text("publish_consent IS 1 AND anonymised_text IS NOT NULL")),
        Index("ix_feedback_due_on", "due_on",
              postgresql_where=text("due_on IS NOT NULL"), sqlite_where=text("due_on IS NOT NULL")),
        Index("ix_feedback_acknowledge_by", "acknowledge_by",
              postgresql_where=text("acknowledge_by IS NOT NULL"),
              sqlite_where=text("acknowledge_by IS NOT NULL")),
        # The inbox sorted by due date, no due date last (migration 0026; the expression
        # is the one portal.services.triage.inbox orders by, word for word).
        # Of the records not closed, the condition as inbox writes it, a constant too.
        Index("ix_feedback_due_order", text("coalesce(due_on, '9999-12-31')"), "id",
              postgresql_where=text("status != 'closed'"), sqlite_where=text("status != 'closed'")),
        # One team's open records due soonest, in that order (migration 0030): the inbox
        # filtered by team and sorted by due date, without reading and sorting the team's
        # every open record.
        Index("ix_feedback_team_due_order", "team_id", text("coalesce(due_on, '9999-12-31')"), "id",
              postgresql_where=text("status != 'closed'"), sqlite_where=text("status != 'closed'")),
        Index("ix_feedback_status_received_on", "status", "received_on", "id",
              postgresql_where=text("status = 'new'"), sqlite_where=text("status = 'new'")),
        # The dashboard's counts of the records not closed (migration 0027): each from one
        # of these alone, without reading the records, as everyone or one team sees them
        # (the team a column of each, so a team manager's counts read the index too). The
        # condition is the inbox's NOT_CLOSED, a constant as there; the status is a column
        # too because SQLite counts from an index alone only if it holds every column the
        # query names, even one its condition already settles.
        Index("ix_feedback_open_due_on", "due_on", "team_id", "status",
              postgresql_where=text("status != 'closed'"), sqlite_where=text("status != 'closed'")),
        Index("ix_feedback_open_kind", "kind", "procedure", "team_id", "status", "assigned_to_id", "due_on",
              postgresql_where=text("status != 'closed'"), sqlite_where=text("status != 'closed'")),
        # The workload's open records by officer, kind, procedure and stage, with their due
        # dates (migration 0028): read from this alone, in the order it groups them, as
        # everyone or one team sees them.
        Index("ix_feedback_open_workload", "assigned_to_id", "kind", "procedure", "stage_number", "due_on",
              "team_id", "status",
              postgresql_where=text("status != 'closed'"), sqlite_where=text("status != 'closed'")),
        Index("ix_feedback_open_acknowledge_by", "acknowledge_by", "team_id", "status",
              postgresql_where=text("status != 'closed' AND acknowledge_by IS NOT NULL"),
              sqlite_where=text("status != 'closed' AND acknowledge_by IS NOT NULL")),
        # The inbox's first page, newest first: on PostgreSQL an index scan in that order
        # instead of gathering and sorting (migration 0027; SQLite's index on received_on
        # alone gave the order already, its rows being kept by id).
        Index("ix_feedback_received_on_id", "received_on", "id"),
        # The data-protection page of a person: the records written for someone of their
        # name (subject_access.named_in), word for word as it asks.
        Index("ix_feedback_on_behalf_of_name", text("lower(trim(on_behalf_of_name))"),
              postgresql_where=text("on_behalf_of_name IS NOT NULL"),
              sqlite_where=text("on_behalf_of_name IS NOT NULL")),
        # The inbox's search, any substring ignoring case: pg_trgm on PostgreSQL; on SQLite
        # an FTS5 trigram table kept in step by triggers (made only by migration 0008).
        *(Index(f"ix_feedback_{column}_trgm", text(f"lower({column}) gin_trgm_ops"),
                postgresql_using="gin").ddl_if(dialect="postgresql")
          for column in ("reference", "summary")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # indexed with received_on
    status: Mapped[str] = mapped_column(String(30), default="new")  # indexed where new
    # The calendar date in Europe/London on which it reached us.
    received_on: Mapped[date] = mapped_column(Date)  # indexed with id
    channel: Mapped[str] = mapped_column(String(20))
    # Came through the young person's version of the forms.
    young_persons_form: Mapped[bool] = mapped_column(Boolean, default=False)

    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # The child or young person the case is about (who may not be the person who wrote).
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    submitter_role: Mapped[str] = mapped_column(String(40))
    submitter_age: Mapped[int | None] = mapped_column(Integer)
    contact_methods: Mapped[list] = mapped_column(JSON, default=list)
    support_needs: Mapped[str | None] = mapped_column(Text)

    # Written for someone else: a child or another adult.
    on_behalf_of_child: Mapped[bool] = mapped_column(Boolean, default=False)
    on_behalf_of_name: Mapped[str | None] = mapped_column(String(200))
    # "yes", "no" or "not_asked"; None when not written for someone else.
    on_behalf_consent: Mapped[str | None] = mapped_column(String(20))

    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))  # indexed with received_on
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    # The member of staff the case is assigned to (Investigating Officers and Independent
    # Persons see only the cases assigned to them).
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))  # indexed with received_on
    category: Mapped[str | None] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    when_it_happened: Mapped[str | None] = mapped_column(String(200))
    desired_outcome: Mapped[str | None] = mapped_column(Text)
    formal_complaint_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    advocate_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # Indexed where true, by safeguarding_actioned_at and by received_on.
    safeguarding_concern: Mapped[bool] = mapped_column(Boolean, default=False)

    # Initial contacts: one outcome, on a date. (Not indexed: only counted, within a kind
    # and period.)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)
    referred_to: Mapped[str | None] = mapped_column(String(300))

    # A decision not to accept a complaint (or an initial contact's request for one) under
    # the procedure (issue 21, the Complaint Handling Code): the reason's code
    # (labels.NotAcceptedReason), what staff wrote and the date. It closes the record and
    # is kept apart from the outcome, whose codes the interchange's contract fixes.
    not_accepted_on: Mapped[date | None] = mapped_column(Date)
    not_accepted_reason: Mapped[str | None] = mapped_column(String(30))
    not_accepted_detail: Mapped[str | None] = mapped_column(Text)

    # When the next thing is due on this record (first contact, or the open stage's
    # response), kept here so that lists can sort and filter by it; services recompute
    # it whenever a clock or the calendar changes.
    due_on: Mapped[date | None] = mapped_column(Date)  # indexed where not null
    # While the open stage waits for its acknowledgement (corporate stages), the date it is
    # due; None otherwise. Kept with due_on, for the lists' marker and the dashboard's
    # acknowledgements due.
    acknowledge_by: Mapped[date | None] = mapped_column(Date)  # indexed where not null
    # The number of the record's latest stage (None before Stage 1), kept with due_on by
    # deadlines.refresh, so that the workload counts open cases by stage from an index
    # rather than looking up each complaint's stages.
    stage_number: Mapped[int | None] = mapped_column(Integer)

    # A safeguarding flag stands out until a manager records what was done.
    safeguarding_actioned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    safeguarding_actioned_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    safeguarding_action: Mapped[str | None] = mapped_column(Text)

    # Complaints: the formal procedure, once registered or progressed. (Not indexed:
    # queries ask only whether there is one, which is a large share of rows either way.)
    procedure: Mapped[str | None] = mapped_column(String(20))

    # Compliments
    named_staff: Mapped[list] = mapped_column(JSON, default=list)
    shared_on: Mapped[date | None] = mapped_column(Date)
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # The wording staff cleared for publication; the report quotes only this.
    anonymised_text: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When its personal data was removed (portal.services.data_protection.purge); what reports count stays.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The status links now valid carry this number: asking for a fresh link moves it on,
    # so older links stop working (portal.services.intake.status_links). Changed without
    # touching ``version``: a person's request is no edit conflict for staff.
    status_link_generation: Mapped[int] = mapped_column(Integer, nullable=False, default=1,
                                                        server_default=text("1"))
    # Checked on every write: a second editor never silently overwrites the first.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    person = relationship("Person", back_populates="feedback")
    child = relationship("Child", back_populates="feedback")
    stages = relationship("Stage", back_populates="feedback", order_by="Stage.number",
                          cascade="all, delete-orphan")
    ombudsman_enquiries = relationship("OmbudsmanEnquiry", back_populates="feedback",
                                       order_by="OmbudsmanEnquiry.id", cascade="all, delete-orphan")
    payments = relationship("Payment", back_populates="feedback", order_by="Payment.id",
                            cascade="all, delete-orphan")
    learning_actions = relationship("LearningAction", back_populates="feedback",
                                    order_by="LearningAction.id", cascade="all, delete-orphan")
    timeline = relationship("TimelineEvent", back_populates="feedback",
                            order_by="TimelineEvent.occurred_at", cascade="all, delete-orphan")
    documents = relationship("Document", back_populates="feedback", order_by="Document.id",
                             cascade="all, delete-orphan")
    team = relationship("Team")
    theme = relationship("Theme")
    assigned_to = relationship("StaffUser", foreign_keys=[assigned_to_id])
    safeguarding_actioned_by = relationship("StaffUser", foreign_keys=[safeguarding_actioned_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Feedback {self.reference}>"
