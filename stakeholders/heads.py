"""Finding the user account of a department's head, the same for the department form and
the API (stakeholders.services), the org bundle and the spreadsheet import.

A head is named by a registered person's e-mail, or by a user's username or e-mail
(compared ignoring case). In order:

1. A registered person with that e-mail who signs in: their user. A user whose own
   username or e-mail is the name must be that same user, or the name is refused: a
   person record whose e-mail was changed to someone else's must not hand that
   someone's department to the user it is linked to.
2. Else the user whose username is the name, else the one user whose e-mail is the name
   (several: refused, name one by its username). When the name is a person's e-mail
   (registered, or added by the same import), that person is linked to the user — so a
   user already linked to another person is refused.
3. Else, for a person (registered or being imported) without a user, a user is created
   (username and e-mail the person's e-mail, no password) and linked to them; the
   callers invite them once the write commits.
4. Else the name is nobody, and refused.

Everything is read in a fixed number of queries, whatever the number of names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from stakeholders import bulk
from stakeholders.models import Person


class HeadUsers:
    """The heads named by `names` (lower-cased), resolved against the registry.

    `people_to_come`: e-mails of people the same import adds (the bundle), who may be
    named as heads before they are registered. `replacing`: the registry's people are
    about to be removed (a bundle imported with --replace), so none of them counts.
    Without `by_username` (single sign-on, which knows an e-mail only) a user is not
    found by username, and a username taken by a user with another e-mail is refused.

    After construction: `resolved` (name → id of an existing user), `to_create` (names
    that get a new user), `problems` (name → why it is refused), `unknown` (the names
    refused as nobody's), `links` (name → the registered person to link to the name's
    user).
    """

    def __init__(
        self,
        names: Iterable[str],
        *,
        people_to_come: Iterable[str] = (),
        replacing: bool = False,
        by_username: bool = True,
    ):
        names = {name.strip().lower() for name in names if name and name.strip()}
        to_come = {email.lower() for email in people_to_come}
        self.resolved: dict[str, int] = {}
        self.to_create: set[str] = set()
        self.problems: dict[str, str] = {}
        self.unknown: set[str] = set()
        self.links: dict[str, int] = {}
        self._by_username = by_username
        if not names:
            return
        user_model = get_user_model()
        self._max_username = user_model._meta.get_field("username").max_length
        people = (
            {}
            if replacing
            else {
                email: (pk, user_id)
                for pk, email, user_id in bulk.in_chunks(
                    Person.objects.annotate(lower_email=Lower("email")).values_list(
                        "pk", "lower_email", "user_id"
                    ),
                    "lower_email",
                    names,
                )
            }
        )
        by_username: dict[str, int] = {}
        by_email: dict[str, list[int]] = defaultdict(list)
        usernames: dict[int, str] = {}
        users = (
            user_model.objects.annotate(lu=Lower("username"), le=Lower("email"))
            .order_by("pk")
            .values_list("pk", "lu", "le", "username")
        )
        for chunk in bulk.chunks(sorted(names)):
            for pk, username, email, shown in users.filter(Q(lu__in=chunk) | Q(le__in=chunk)):
                by_username.setdefault(username, pk)
                by_email[email].append(pk)
                usernames[pk] = shown
        # The person each candidate user is linked to (by e-mail).
        linked = (
            {}
            if replacing
            else dict(
                bulk.in_chunks(
                    Person.objects.values_list("user_id", Lower("email")), "user_id", usernames
                )
            )
        )
        for name in sorted(names):
            person = people.get(name)
            self._resolve(name, person, name in to_come, by_username, by_email, usernames, linked)

    def _resolve(self, name, person, to_come, by_username, by_email, usernames, linked) -> None:
        own = by_username.get(name) if self._by_username else None
        several = len(by_email.get(name, [])) > 1
        if own is None and not several and by_email.get(name):
            own = by_email[name][0]
        if person is not None and person[1] is not None:
            if own is not None and own != person[1]:
                signs_in_as = (
                    get_user_model()
                    .objects.filter(pk=person[1])
                    .values_list("username", flat=True)
                    .first()
                )
                self.problems[name] = (
                    f"{name} is the e-mail of user {usernames[own]}, but the person with "
                    f"that e-mail signs in as {signs_in_as}: correct one of them in the admin "
                    "first."
                )
            else:
                self.resolved[name] = person[1]
            return
        if several and own is None:
            self.problems[name] = f"Several users have the e-mail {name}: name one by its username."
            return
        is_person = person is not None or to_come
        if own is not None:
            owner = linked.get(own)
            if is_person and owner is not None and owner != name:
                self.problems[name] = f"user {usernames[own]} is already linked to person {owner}"
                return
            self.resolved[name] = own
            if person is not None:
                linked[own] = name
                self.links[name] = person[0]
            return
        if not is_person:
            self.unknown.add(name)
            self.problems[name] = f"{name} is neither a registered person's e-mail nor a user."
        elif name in by_username:  # only without by_username: the new user's name is taken
            self.problems[name] = (
                f"The username {name} belongs to a user with another e-mail: correct one of "
                "them in the admin first."
            )
        elif len(name) > self._max_username:
            self.problems[name] = (
                f"cannot create a user for {name}: longer than {self._max_username} characters"
            )
        else:
            self.to_create.add(name)
            if person is not None:
                self.links[name] = person[0]

    def write(self, writer: bulk.HistoryWriter, *, link: bool = True) -> dict[str, int]:
        """Create the missing users (no password) and, with `link`, link the registered
        people to their user (with history); every head's user id by name."""
        user_model = get_user_model()
        new_users = []
        for email in sorted(self.to_create):
            user = user_model(username=email, email=email)
            user.set_unusable_password()
            new_users.append(user)
        created = user_model.objects.bulk_create(new_users, batch_size=bulk.BATCH_SIZE)
        ids = dict(self.resolved)
        ids.update({user.username: user.pk for user in created})
        if link and self.links:
            user_of = {pk: ids[name] for name, pk in self.links.items()}
            people = list(bulk.in_chunks(Person.objects.all(), "pk", user_of))
            for person in people:
                person.user_id = user_of[person.pk]
            writer.update(Person, [(person, {"user_id"}) for person in people])
        return ids
