"""The tutor app for snapshot tests; the test sets GD_TUTOR_LESSONS_DIR and GD_TUTOR_DATA_DIR."""

from tutor.ui.app import TutorApp

app = TutorApp()

if __name__ == "__main__":
    app.run()
