"""Email in on the staff side (issue 19): the case's Correspondence panel and replying
from it, and the list of email that did not become a case."""
