"""One handler module per message, named after it; the worker runs each on its own queue.

run_job         RunJob        on llm-worker.jobs       summary then checklist, reported in batches
train_style     TrainStyle    on llm-worker.training   a style model from the artist's images
generate_image  GenerateImage on llm-worker.inference  a signed image in a trained style

llm-worker.careers carries four commands (careers.dispatch routes them by type; bootstrap.CAREERS_HANDLERS):
review_resume       ReviewResume      feedback on a résumé, in general or against a posting
rewrite_resume      RewriteResume     an improved résumé from the feedback
run_interview_step  RunInterviewStep  a mock interview's question, an answer's evaluation, the final verdict
build_study_guide   BuildStudyGuide   study items for the gaps found

llm-worker.classroom carries two commands (a task_dispatch.TaskDispatcher routes them; bootstrap.CLASSROOM_HANDLERS):
analyze_help_request  AnalyzeHelpRequest  why a learner is stuck on a step, and how to get on
analyze_recording     AnalyzeRecording    the steps a recording shows, and where its user hesitated
"""
