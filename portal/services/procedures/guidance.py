"""Which procedure applies: words a page can show staff when they register a complaint
or progress an initial contact (DOMAIN.md, Procedures, stages and clocks). Each
procedure's own name and hint are its words in ``labels.Procedure``."""

WHICH_PROCEDURE = (
    "Use the statutory children's social care procedure when the complaint is about a "
    "children's social care service given to a child or young person, and is made by "
    "them or on their behalf: by a parent, a carer, a foster carer, a special guardian, "
    "an advocate or someone else with a proper interest in their welfare. This is the "
    "representations procedure the Children Act 1989 requires, and it has three stages. "
    "Use the corporate procedure for everything else, such as complaints about SEND, "
    "school transport or finance, or a complaint about social care from someone who is "
    "not acting for the child. It has two stages. If you are not sure, ask the Customer "
    "Feedback Manager before you register the complaint: the procedure sets every "
    "deadline that follows."
)
