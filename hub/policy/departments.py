"""Departments, their experience notes, questions and answers: staff only."""

from __future__ import annotations

from ..models import Department, Post, Question, User


def can_view_department(user: User, department: Department) -> bool:
    return user.is_staff and (department.active or user.is_admin)


def can_post_in(user: User, department: Department) -> bool:
    """Experience notes are written by the department's own members (and admins)."""
    return can_view_department(user, department) and (
        user.is_admin or department.id in user.department_ids
    )


def can_ask_in(user: User, department: Department) -> bool:
    return can_view_department(user, department) and department.active


def can_view_post(user: User, post: Post) -> bool:
    return can_view_department(user, post.department)


def can_view_question(user: User, question: Question) -> bool:
    return can_view_department(user, question.department)


def can_answer(user: User, question: Question) -> bool:
    return can_view_question(user, question) and question.department.active


def can_accept_answer(user: User, question: Question) -> bool:
    """The asker, a member of the question's department, or an admin picks the accepted answer."""
    return can_view_question(user, question) and (
        user.is_admin or user.id == question.author_id or question.department_id in user.department_ids
    )
